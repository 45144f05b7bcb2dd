/**
 * A KMS key for CloudWatch Logs groups: rotation on, administered by the
 * account, usable by the CloudWatch Logs service only for the log groups
 * whose ARNs match the given pattern (encryption context condition).
 */
import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsContext } from "./aws-context";
import { policyJson } from "./policy";
import { named, type Tags } from "./tags";

export interface LogGroupKeyProps {
  /** What the key encrypts, for its description. */
  readonly purpose: string;
  /** Log group name or pattern (`/ml-network/prod/vpn/*`). */
  readonly logGroupPattern: string;
  readonly alias: string;
  readonly name: string;
  /** Extra tags on the key. @default - none */
  readonly tags?: Tags;
}

export class LogGroupKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: LogGroupKeyProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    this.key = new KmsKey(this, "key", {
      description: `Encrypts ${props.purpose}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "CloudWatchLogsUsesKeyForTheseLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${props.logGroupPattern}` },
            },
          },
        ],
      }),
      tags: named(props.name, props.tags ?? {}),
    });
    new KmsAlias(this, "alias", { name: props.alias, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
