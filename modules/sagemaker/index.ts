/**
 * SageMakerWorkspace: SageMaker inside the VPC from day one.
 *
 * Notebook instances in private subnets with the notebook group, no direct
 * internet access, no root access, KMS-encrypted volumes and IMDSv2 only; an
 * optional Studio domain in VpcOnly mode; a least-privilege execution role;
 * a deny-only guardrail policy for data-science roles; and the VpcConfig
 * (subnets, security groups) that training and inference jobs need.
 */
import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SagemakerDomain } from "@cdktf/provider-aws/lib/sagemaker-domain";
import { SagemakerNotebookInstance } from "@cdktf/provider-aws/lib/sagemaker-notebook-instance";
import { AwsContext } from "../core/aws-context";
import { resolveProps } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { policyJson, serviceTrustPolicy, type PolicyStatement } from "../core/policy";
import { suppress } from "../core/suppressions";
import { named } from "../core/tags";
import { assertNetwork, selectSubnets, tierLayout, type IMlNetwork, type SubnetTier } from "../network";
import { sagemakerGuardrailPolicy } from "./guardrails";
import { sagemakerConfigSchema, validateSageMaker, type ResolvedSageMakerConfig, type TierView } from "./schema";

export { sagemakerGuardrailPolicy, type GuardrailOptions } from "./guardrails";
export { SAGEMAKER_CONDITION_KEYS, type SageMakerAction } from "./condition-keys";
export { sagemakerConfigSchema, validateSageMaker, type ResolvedSageMakerConfig } from "./schema";
export { NOTEBOOK_INSTANCE_TYPES } from "./instance-types";

export interface NotebookConfig {
  /** A notebook instance type: NOTEBOOK_INSTANCE_TYPES, or one of additionalNotebookInstanceTypes. @default "ml.t3.medium" */
  readonly instanceType?: string;
  /** Subnet tier of the notebook; public and isolated are rejected. @default "private" */
  readonly tier?: SubnetTier;
  /** AZ of the notebook. The lowest letter stays put when AZs are reordered or added. @default - the tier's AZ with the lowest letter */
  readonly availabilityZone?: string;
  /** Size of the ML storage volume in GiB, 5 to 16384. @default 50 */
  readonly volumeSizeGiB?: number;
  /** Direct internet access, around the VPC. Enabling needs `directInternetAccessReason` (at least 10 characters): the explicit opt-in. @default false */
  readonly directInternetAccess?: boolean;
  /** Why the notebook needs direct internet access; recorded as a suppression of MLN-SM-2. @default - none */
  readonly directInternetAccessReason?: string;
}

/** What an environment configures. */
export interface SageMakerConfig {
  /** Notebook instances by name. @default {} */
  readonly notebooks?: Record<string, NotebookConfig>;
  /** A Studio domain in VpcOnly mode. @default - none */
  readonly domain?: {
    /** Domain name. @default - <network>-studio */
    readonly name?: string;
    /** Subnet tier of the domain's apps; public and isolated are rejected. @default "private" */
    readonly tier?: SubnetTier;
    /**
     * AZs of the domain's subnets. Fixed AZs mean adding an AZ to the network
     * leaves the domain as it is.
     * @default - the tier's two AZs with the lowest letters
     */
    readonly availabilityZones?: string[];
  };
  /** The deny-only guardrail policy for data-science roles. @default {} */
  readonly guardrails?: {
    /** Create the policy and attach it to the execution role. @default true */
    readonly enabled?: boolean;
    /** Also deny jobs and models without network isolation. @default false */
    readonly requireNetworkIsolation?: boolean;
  };
  /** Buckets the execution role may read and write. @default [] */
  readonly s3BucketArns?: string[];
  /**
   * Notebook instance types AWS added after this release, accepted beside
   * the built-in list (`ml.<family>.<size>`, e.g. `ml.g7.xlarge`). SageMaker
   * itself refuses a type it does not offer, at deploy time.
   * @default []
   */
  readonly additionalNotebookInstanceTypes?: string[];
  /** KMS key for notebook volumes and the domain. @default - a new KMS key with rotation on */
  readonly kmsKeyArn?: string;
}

export interface SageMakerWorkspaceProps extends SageMakerConfig {
  readonly network: IMlNetwork;
  /** Security groups of SegmentedSecurityGroups: notebook, training, inference. */
  readonly securityGroupIds: { readonly notebook: string; readonly training: string; readonly inference: string };
  /** Extra tags on every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/** The `VpcConfig` block of a SageMaker job or model. */
export interface VpcConfig {
  readonly Subnets: string[];
  readonly SecurityGroupIds: string[];
}

/**
 * The VpcConfig of SageMaker jobs and models: training-tier subnets (private
 * when there is no training tier) with the training group; private subnets
 * with the inference group.
 */
export function sagemakerVpcConfigs(
  network: IMlNetwork,
  groups: { readonly training: string; readonly inference: string },
): { training: VpcConfig; inference: VpcConfig } {
  const training = selectSubnets(network, { tiers: ["training"] });
  return {
    training: {
      Subnets: (training.subnets.length > 0 ? training : selectSubnets(network, { tiers: ["private"] })).subnetIds,
      SecurityGroupIds: [groups.training],
    },
    inference: { Subnets: selectSubnets(network, { tiers: ["private"] }).subnetIds, SecurityGroupIds: [groups.inference] },
  };
}

/** The domain's subnets: the given AZs, or the two lowest-lettered AZs of the tier, in AZ order. */
function domainSubnets(network: IMlNetwork, tier: SubnetTier, azs?: readonly string[]) {
  const candidates = [...selectSubnets(network, { tiers: [tier], availabilityZones: azs }).subnets].sort((a, b) =>
    a.availabilityZone.localeCompare(b.availabilityZone),
  );
  return azs ? candidates : candidates.slice(0, 2);
}

export function tierViewOf(network: IMlNetwork): TierView {
  return tierLayout(network);
}

/**
 * The execution role's own permissions: logs and metrics under SageMaker's
 * namespaces, image pulls, the workspace key, VPC network interfaces for jobs,
 * job and model management, passing only itself, and the data buckets.
 */
function executionRoleStatements(ctx: AwsContext, kmsKeyArn: string, executionRoleArn: string, s3BucketArns: string[]): PolicyStatement[] {
  const arn = (service: string, resource: string) => `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
  const statements: PolicyStatement[] = [
    {
      Sid: "WriteSageMakerLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [arn("logs", "log-group:/aws/sagemaker/*"), arn("logs", "log-group:/aws/sagemaker/*:*")],
    },
    {
      Sid: "PublishMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringLike: { "cloudwatch:namespace": ["/aws/sagemaker/*", "aws/sagemaker/*"] } },
    },
    {
      Sid: "PullImages",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
      Resource: arn("ecr", "repository/*"),
    },
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "UseWorkspaceKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
      Resource: kmsKeyArn,
    },
    {
      // Jobs in the VPC: SageMaker creates network interfaces in our subnets.
      Sid: "VpcNetworkInterfaces",
      Effect: "Allow",
      Action: [
        "ec2:CreateNetworkInterface",
        "ec2:CreateNetworkInterfacePermission",
        "ec2:DeleteNetworkInterface",
        "ec2:DeleteNetworkInterfacePermission",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
      ],
      Resource: "*",
    },
    {
      Sid: "RunJobsAndModels",
      Effect: "Allow",
      Action: [
        "sagemaker:CreateTrainingJob",
        "sagemaker:CreateProcessingJob",
        "sagemaker:CreateHyperParameterTuningJob",
        "sagemaker:CreateModel",
        "sagemaker:Describe*",
        "sagemaker:List*",
        "sagemaker:StopTrainingJob",
        "sagemaker:StopProcessingJob",
        "sagemaker:StopHyperParameterTuningJob",
        "sagemaker:AddTags",
      ],
      Resource: arn("sagemaker", "*"),
    },
    {
      Sid: "PassOnlyThisRoleToSageMaker",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: executionRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } },
    },
  ];
  if (s3BucketArns.length > 0) {
    statements.push(
      { Sid: "ListDataBuckets", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: s3BucketArns },
      {
        Sid: "ReadWriteDataBuckets",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
        Resource: s3BucketArns.map((b) => `${b}/*`),
      },
    );
  }
  return statements;
}

export class SageMakerWorkspace extends Construct {
  readonly executionRole: IamRole;
  readonly kmsKeyArn: string;
  readonly notebooks: Readonly<Record<string, SagemakerNotebookInstance>>;
  readonly domain?: SagemakerDomain;
  readonly guardrailPolicy?: IamPolicy;
  /** For training and processing jobs: training-tier subnets (private when there is none), the training group. */
  readonly trainingVpcConfig: VpcConfig;
  /** For models and endpoints: private subnets, the inference group. */
  readonly inferenceVpcConfig: VpcConfig;
  readonly config: ResolvedSageMakerConfig;

  constructor(scope: Construct, id: string, props: SageMakerWorkspaceProps) {
    super(scope, id);
    const { network, securityGroupIds, tags: extraTags, ...rest } = props;
    assertNetwork(network, `SageMakerWorkspace "${this.node.path}"`);
    const cfg = resolveProps("SageMakerWorkspace", this.node.path, sagemakerConfigSchema, rest, (c) => [
      ...validateSageMaker(c, tierViewOf(network), network.name),
      ...tagIssues(extraTags, "tags", ["Name"]),
    ]);
    this.config = cfg;
    const tags = extraTags ?? {};
    const base = `${network.name}-sagemaker`;
    const ctx = AwsContext.of(this);

    if (cfg.kmsKeyArn) {
      this.kmsKeyArn = cfg.kmsKeyArn;
    } else {
      // Default key policy: the account administers; the execution role's policy grants use.
      const key = new KmsKey(this, "key", {
        description: `Encrypts SageMaker volumes of ${network.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags: named(base, tags),
      });
      new KmsAlias(this, "key-alias", { name: `alias/${base}`, targetKeyId: key.keyId });
      this.kmsKeyArn = key.arn;
    }

    this.executionRole = new IamRole(this, "execution-role", {
      name: `${base}-execution`,
      description: `SageMaker notebooks and jobs of ${network.name}`,
      assumeRolePolicy: serviceTrustPolicy("sagemaker.amazonaws.com", { StringEquals: { "aws:SourceAccount": ctx.accountId } }),
      tags: named(`${base}-execution`, tags),
    });
    const statements = executionRoleStatements(ctx, this.kmsKeyArn, this.executionRole.arn, cfg.s3BucketArns);
    new IamRolePolicy(this, "execution-policy", {
      name: "least-privilege",
      role: this.executionRole.id,
      policy: policyJson({ Version: "2012-10-17", Statement: statements }),
    });

    if (cfg.guardrails.enabled) {
      this.guardrailPolicy = new IamPolicy(this, "guardrail-policy", {
        name: `${base}-guardrails`,
        description: "Deny SageMaker jobs, models and notebooks outside the VPC; attach to data-science roles",
        policy: policyJson(sagemakerGuardrailPolicy({ requireNetworkIsolation: cfg.guardrails.requireNetworkIsolation })),
        tags: named(`${base}-guardrails`, tags),
      });
      // Notebook users act as the execution role: the guardrails bind them too.
      new IamRolePolicyAttachment(this, "execution-guardrails", { role: this.executionRole.name, policyArn: this.guardrailPolicy.arn });
    }

    this.notebooks = this.createNotebooks(cfg, network, securityGroupIds.notebook, tags);

    if (cfg.domain) {
      this.domain = new SagemakerDomain(this, "domain", {
        domainName: cfg.domain.name ?? `${network.name}-studio`,
        authMode: "IAM",
        appNetworkAccessType: "VpcOnly",
        vpcId: network.vpcId,
        subnetIds: domainSubnets(network, cfg.domain.tier, cfg.domain.availabilityZones).map((s) => s.id),
        kmsKeyId: this.kmsKeyArn,
        defaultUserSettings: { executionRole: this.executionRole.arn, securityGroups: [securityGroupIds.notebook] },
        tags: named(`${network.name}-studio`, tags),
      });
    }

    const vpcConfigs = sagemakerVpcConfigs(network, securityGroupIds);
    this.trainingVpcConfig = vpcConfigs.training;
    this.inferenceVpcConfig = vpcConfigs.inference;
  }

  /** Notebook instances in the VPC, without root access or (by default) direct internet. */
  private createNotebooks(
    cfg: ResolvedSageMakerConfig,
    network: IMlNetwork,
    notebookGroupId: string,
    tags: Record<string, string>,
  ): Record<string, SagemakerNotebookInstance> {
    const notebooks: Record<string, SagemakerNotebookInstance> = {};
    for (const [name, nb] of Object.entries(cfg.notebooks)) {
      // Default AZ: the lowest letter of the tier, so reordering or adding AZs never moves the notebook.
      const candidates = [...selectSubnets(network, { tiers: [nb.tier] }).subnets].sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone));
      const subnet = candidates.find((s) => s.availabilityZone === (nb.availabilityZone ?? candidates[0].availabilityZone))!;
      notebooks[name] = new SagemakerNotebookInstance(this, `notebook-${name}`, {
        name: `${network.name}-${name}`,
        instanceType: nb.instanceType,
        roleArn: this.executionRole.arn,
        subnetId: subnet.id,
        securityGroups: [notebookGroupId],
        directInternetAccess: nb.directInternetAccess ? "Enabled" : "Disabled",
        rootAccess: "Disabled",
        kmsKeyId: this.kmsKeyArn,
        volumeSize: nb.volumeSizeGiB,
        instanceMetadataServiceConfiguration: { minimumInstanceMetadataServiceVersion: "2" },
        tags: named(`${network.name}-${name}`, tags),
      });
      // The explicit opt-in becomes a recorded suppression, visible in every compliance report.
      if (nb.directInternetAccess) suppress(notebooks[name], "MLN-SM-2", nb.directInternetAccessReason!);
    }
    return notebooks;
  }
}
