/**
 * Account, partition and region of the stack's provider, as Terraform data
 * sources created once per stack and shared by every module that needs them
 * (policies, ARNs, service names).
 */
import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

export class AwsContext extends Construct {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  private constructor(scope: Construct) {
    super(scope, "aws-context");
    this.accountId = new DataAwsCallerIdentity(this, "account").accountId;
    this.partition = new DataAwsPartition(this, "partition").partition;
    this.region = new DataAwsRegion(this, "region").region;
  }

  /** The stack's shared context, created on first use. */
  static of(scope: Construct): AwsContext {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild("aws-context") as AwsContext | undefined) ?? new AwsContext(stack);
  }
}
