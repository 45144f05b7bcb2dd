/**
 * VPC flow logs, on from day one: every accepted and rejected flow (traffic
 * type ALL) to CloudWatch Logs, encrypted with a KMS key, through an IAM role
 * that can write to that one log group only; or to an S3 bucket.
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsContext } from "../core/aws-context";
import { LogGroupKey } from "../core/log-key";
import { policyJson, serviceTrustPolicy } from "../core/policy";
import { named, type Tags } from "../core/tags";
import type { z } from "zod";
import type { flowLogsSchema } from "./schema";

export type ResolvedFlowLogs = z.output<typeof flowLogsSchema>;

export interface VpcFlowLogsProps {
  readonly vpcId: string;
  /** Prefix of resource names, e.g. `ml-prod`. */
  readonly name: string;
  readonly settings: ResolvedFlowLogs;
  /** Extra tags on every resource. @default - none */
  readonly tags?: Tags;
}

export class VpcFlowLogs extends Construct {
  readonly flowLog: FlowLog;
  /** The log group, for CloudWatch Logs destinations. */
  readonly logGroup?: CloudwatchLogGroup;
  /** The key created for the log group when no `kmsKeyArn` was given. */
  readonly kmsKey?: KmsKey;
  readonly role?: IamRole;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const { settings: s, name, vpcId } = props;
    const tags = props.tags ?? {};

    if (s.destination === "s3") {
      // The bucket belongs to a log archive; its policy must let delivery.logs.amazonaws.com write (docs/modules/network.md).
      this.flowLog = new FlowLog(this, "flow-log", {
        vpcId,
        trafficType: "ALL",
        logDestinationType: "s3",
        logDestination: s.s3BucketArn,
        maxAggregationInterval: s.maxAggregationIntervalSeconds,
        logFormat: s.logFormat,
        destinationOptions: { fileFormat: s.s3FileFormat, hiveCompatiblePartitions: true, perHourPartition: true },
        tags: named(`${name}-flow-log`, tags),
      });
      return;
    }

    const ctx = AwsContext.of(this);
    const logGroupName = s.logGroupName ?? `/ml-network/${name}/vpc-flow-logs`;

    let kmsKeyArn = s.kmsKeyArn;
    if (!kmsKeyArn) {
      this.kmsKey = new LogGroupKey(this, "key", {
        purpose: `the VPC flow logs of ${name}`,
        logGroupPattern: logGroupName,
        alias: `alias/${name}/vpc-flow-logs`,
        name: `${name}-flow-logs`,
        tags,
      }).key;
      kmsKeyArn = this.kmsKey.arn;
    }

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: logGroupName,
      retentionInDays: s.retentionDays,
      kmsKeyId: kmsKeyArn,
      tags: named(`${name}-vpc-flow-logs`, tags),
    });

    this.role = new IamRole(this, "role", {
      name: `${name}-vpc-flow-logs`,
      description: `Lets VPC Flow Logs write to ${logGroupName} only`,
      // Confused-deputy guard: only flow logs of this account may assume the role.
      assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": ctx.accountId },
        ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:vpc-flow-log/*` },
      }),
      tags: named(`${name}-vpc-flow-logs`, tags),
    });

    new IamRolePolicy(this, "role-policy", {
      name: "write-flow-logs",
      role: this.role.id,
      policy: policyJson({
        Version: "2012-10-17",
        // The minimum the VPC user guide lists for the delivery role ("IAM role for publishing flow
        // logs to CloudWatch Logs", docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html),
        // scoped down: CreateLogGroup is left out (Terraform creates the group), the writes go to
        // this group only, and DescribeLogGroups (a list call, matched against log-group:*) is
        // limited to this account and region.
        Statement: [
          {
            Sid: "WriteThisLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`],
          },
          {
            Sid: "FindTheLogGroup",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*`,
          },
        ],
      }),
    });

    this.flowLog = new FlowLog(this, "flow-log", {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: s.maxAggregationIntervalSeconds,
      logFormat: s.logFormat,
      tags: named(`${name}-flow-log`, tags),
    });
  }
}
