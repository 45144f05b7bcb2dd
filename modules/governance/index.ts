/**
 * ConfigDriftRules: AWS Config managed rules that catch drift after deploy,
 * the runtime twin of the synth-time rule pack. Uses the account's existing
 * configuration recorder (landing zones usually provide one) or creates the
 * recorder, its role and delivery channel.
 */
import { Construct } from "constructs";
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsContext } from "../core/aws-context";
import { resolveProps, type ConfigIssue } from "../core/errors";
import { bucketNameProblem, nameIssues, tagIssues } from "../core/aws-limits";
import { serviceTrustPolicy } from "../core/policy";
import { named } from "../core/tags";
import type { Exact } from "../core/types";

/** A managed rule: its AWS Config identifier, what it catches, and the regions AWS does not offer it in. */
export interface ConfigRuleSpec {
  readonly identifier: string;
  readonly catches: string;
  readonly unavailableIn?: readonly string[];
}

/** The managed rules, by short name, with the AWS Config identifier and what each catches. */
export const CONFIG_RULES = {
  "vpc-flow-logs-enabled": { identifier: "VPC_FLOW_LOGS_ENABLED", catches: "a VPC whose flow logs were deleted" },
  "vpc-default-security-group-closed": { identifier: "VPC_DEFAULT_SECURITY_GROUP_CLOSED", catches: "rules added to a default security group" },
  "sagemaker-notebook-in-vpc": { identifier: "SAGEMAKER_NOTEBOOK_INSTANCE_INSIDE_VPC", catches: "a notebook created outside the VPC" },
  "sagemaker-notebook-no-direct-internet": { identifier: "SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS", catches: "a notebook with direct internet access" },
  "sagemaker-notebook-no-root": { identifier: "SAGEMAKER_NOTEBOOK_INSTANCE_ROOT_ACCESS_CHECK", catches: "a notebook with root access" },
  "sagemaker-domain-in-vpc": {
    identifier: "SAGEMAKER_DOMAIN_IN_VPC",
    catches: "a SageMaker domain switched to PublicInternetOnly",
    // AWS Config developer guide, sagemaker-domain-in-vpc, "AWS Region" (read 2026-11).
    unavailableIn: [
      "cn-north-1",
      "cn-northwest-1",
      "ap-southeast-7",
      "me-central-1",
      "ap-south-2",
      "ap-southeast-5",
      "ap-southeast-4",
      "us-gov-east-1",
      "us-gov-west-1",
      "mx-central-1",
      "il-central-1",
      "ap-east-2",
      "ca-west-1",
      "eu-south-2",
      "eu-central-2",
    ],
  },
  "sagemaker-notebook-kms": { identifier: "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED", catches: "a notebook without a KMS key" },
  "restricted-ssh": { identifier: "INCOMING_SSH_DISABLED", catches: "a security group opened to SSH from anywhere" },
  "restricted-common-ports": { identifier: "RESTRICTED_INCOMING_TRAFFIC", catches: "a security group opened to common ports (RDP, databases) from anywhere" },
  "subnet-no-auto-public-ip": { identifier: "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED", catches: "a subnet switched to auto-assign public IPs" },
  "ec2-no-public-ip": { identifier: "EC2_INSTANCE_NO_PUBLIC_IP", catches: "an instance with a public IP" },
  "ec2-imdsv2": { identifier: "EC2_IMDSV2_CHECK", catches: "an instance that accepts IMDSv1" },
  "vpn-tunnels-up": { identifier: "VPC_VPN_2_TUNNELS_UP", catches: "a VPN connection running on one tunnel (or none)" },
} as const satisfies Record<string, ConfigRuleSpec>;

export type ConfigRuleName = keyof typeof CONFIG_RULES;

/** The rules as typed entries, in declaration order. */
const RULE_ENTRIES = Object.entries(CONFIG_RULES) as [ConfigRuleName, ConfigRuleSpec][];

export interface GovernanceConfig {
  /** Create the rules. @default true */
  readonly enabled?: boolean;
  /** Rules to leave out, by short name. @default [] */
  readonly exclude?: string[];
  /** The configuration recorder the rules need: the account's own, or one created here. @default {} */
  readonly recorder?: {
    /** Create the recorder, its role and delivery channel; landing zones usually provide a recorder already. @default false */
    readonly create?: boolean;
    /** S3 bucket the delivery channel writes to; required with `create: true`. @default - none */
    readonly deliveryBucketName?: string;
    /** Key prefix in the delivery bucket. @default - none: the bucket's root */
    readonly deliveryKeyPrefix?: string;
  };
}

export interface ConfigDriftRulesProps extends GovernanceConfig {
  /** Prefix of rule names, e.g. `ml-prod`. */
  readonly name: string;
  /** The stack's region, when known: rules AWS does not offer there fail synth unless excluded. @default - none: not checked */
  readonly region?: string;
  /** Extra tags on every rule and the recorder's role. @default - none */
  readonly tags?: Record<string, string>;
}

export const governanceConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  exclude: uniqueList(z.string()).default([]),
  recorder: z
    .strictObject({ create: z.boolean().default(false), deliveryBucketName: z.string().optional(), deliveryKeyPrefix: z.string().optional() })
    .prefault({}),
});
export type ResolvedGovernanceConfig = z.output<typeof governanceConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof governanceConfigSchema>, GovernanceConfig> = true;
void configMatchesSchema;

/** Checks the configuration; with `name`, also the names of the rules and recorder it creates. */
export function validateGovernance(cfg: ResolvedGovernanceConfig, region?: string, name?: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (name !== undefined) {
    const fix = "shorten the name prefix";
    issues.push(
      ...nameIssues([
        ...RULE_ENTRIES.filter(([short]) => !cfg.exclude.includes(short)).map(([short]) => ({
          name: `${name}-${short}`,
          rule: "configRule" as const,
          path: "",
          value: name,
          fix,
        })),
        ...(cfg.recorder.create
          ? [
              { name: `${name}-config-recorder`, rule: "iamRole" as const, path: "", value: name, fix },
              { name: `${name}-recorder`, rule: "configRecorder" as const, path: "", value: name, fix },
            ]
          : []),
      ]),
    );
  }
  const names = Object.keys(CONFIG_RULES);
  cfg.exclude.forEach((rule, i) => {
    if (!names.includes(rule))
      issues.push({ path: `exclude[${i}]`, value: rule, message: "is not one of the governance rules", fix: `use one of ${names.join(", ")}` });
  });
  if (cfg.enabled && region) {
    for (const [short, rule] of RULE_ENTRIES) {
      if (rule.unavailableIn?.includes(region) && !cfg.exclude.includes(short)) {
        issues.push({
          path: "exclude",
          value: cfg.exclude,
          message: `lacks "${short}": AWS Config does not offer ${rule.identifier} in ${region}`,
          fix: `add "${short}" to exclude`,
        });
      }
    }
  }
  if (cfg.recorder.create) {
    const bucket = cfg.recorder.deliveryBucketName;
    if (!bucket)
      issues.push({
        path: "recorder.deliveryBucketName",
        value: undefined,
        message: "is required to create a recorder (its delivery channel writes there)",
        fix: "name the S3 bucket for AWS Config snapshots, or set create: false to use the account's recorder",
      });
    else if (bucketNameProblem(bucket))
      issues.push({
        path: "recorder.deliveryBucketName",
        value: bucket,
        message: `is not a valid S3 bucket name: it ${bucketNameProblem(bucket)}`,
        fix: "use 3-63 lower-case letters, digits, dots or hyphens, without two dots in a row",
      });
  }
  return issues;
}

export class ConfigDriftRules extends Construct {
  readonly rules: Readonly<Partial<Record<ConfigRuleName, ConfigConfigRule>>>;
  readonly recorder?: ConfigConfigurationRecorder;

  constructor(scope: Construct, id: string, props: ConfigDriftRulesProps) {
    super(scope, id);
    const { name, region, tags: extraTags, ...rest } = props;
    const cfg = resolveProps("ConfigDriftRules", this.node.path, governanceConfigSchema, rest, (c) => [
      ...validateGovernance(c, region, name),
      ...tagIssues(extraTags, "tags", ["Name"]),
    ]);
    const tags = extraTags ?? {};
    const rules: Partial<Record<ConfigRuleName, ConfigConfigRule>> = {};
    if (!cfg.enabled) {
      this.rules = rules;
      return;
    }

    let dependsOn: ConfigConfigurationRecorder[] | undefined;
    if (cfg.recorder.create) {
      const ctx = AwsContext.of(this);
      const role = new IamRole(this, "recorder-role", {
        name: `${name}-config-recorder`,
        assumeRolePolicy: serviceTrustPolicy("config.amazonaws.com", { StringEquals: { "aws:SourceAccount": ctx.accountId } }),
        tags: named(`${name}-config-recorder`, tags),
      });
      new IamRolePolicyAttachment(this, "recorder-policy", { role: role.name, policyArn: `arn:${ctx.partition}:iam::aws:policy/service-role/AWS_ConfigRole` });
      this.recorder = new ConfigConfigurationRecorder(this, "recorder", {
        name: `${name}-recorder`,
        roleArn: role.arn,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
      });
      const channel = new ConfigDeliveryChannel(this, "delivery-channel", {
        name: `${name}-delivery`,
        s3BucketName: cfg.recorder.deliveryBucketName!,
        s3KeyPrefix: cfg.recorder.deliveryKeyPrefix,
        dependsOn: [this.recorder],
      });
      new ConfigConfigurationRecorderStatus(this, "recorder-status", { name: this.recorder.name, isEnabled: true, dependsOn: [channel] });
      dependsOn = [this.recorder];
    }

    for (const [short, rule] of RULE_ENTRIES) {
      if (cfg.exclude.includes(short)) continue;
      rules[short] = new ConfigConfigRule(this, short, {
        name: `${name}-${short}`,
        description: `Drift: ${rule.catches}`,
        source: { owner: "AWS", sourceIdentifier: rule.identifier },
        tags: named(`${name}-${short}`, tags),
        dependsOn,
      });
    }
    this.rules = rules;
  }
}
