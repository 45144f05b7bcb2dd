/**
 * Interface endpoint catalog: the AWS services ML platforms call, with their
 * PrivateLink service names.
 *
 * Service names follow `com.amazonaws.<region>.<service>`, except SageMaker
 * Studio and notebook endpoints (`aws.sagemaker.<region>.<service>`). Policy
 * support is what `aws ec2 describe-vpc-endpoint-services` reports as
 * VpcEndpointPolicySupported; AWS rejects a policy on an endpoint whose
 * service does not support one, so those get none (AWS then allows full
 * access through the endpoint, and IAM still applies). Checked against AWS
 * PrivateLink documentation, 2025.
 */
export interface CatalogEntry {
  /** What the service is for on an ML platform. */
  readonly purpose: string;
  /** Service-name suffix after the region. */
  readonly suffix: string;
  /** `aws.sagemaker.<region>.` instead of `com.amazonaws.<region>.`. */
  readonly sagemakerPrefix?: boolean;
  /** Whether the service accepts an endpoint policy. */
  readonly policySupported: boolean;
  /** Whether the service also serves plain HTTP, so a deny on aws:SecureTransport=false matters. */
  readonly servesPlainHttp?: boolean;
}

export const INTERFACE_CATALOG = {
  "sagemaker.api": { purpose: "SageMaker control plane: create jobs, endpoints, models", suffix: "sagemaker.api", policySupported: true },
  "sagemaker.runtime": { purpose: "invoke SageMaker real-time endpoints", suffix: "sagemaker.runtime", policySupported: true },
  "sagemaker.featurestore-runtime": {
    purpose: "SageMaker Feature Store online reads and writes",
    suffix: "sagemaker.featurestore-runtime",
    policySupported: false,
  },
  "sagemaker.notebook": { purpose: "SageMaker notebook instance UI from inside the VPC", suffix: "notebook", sagemakerPrefix: true, policySupported: false },
  "sagemaker.studio": { purpose: "SageMaker Studio UI from inside the VPC", suffix: "studio", sagemakerPrefix: true, policySupported: false },
  "ecr.api": { purpose: "ECR registry API (image manifests, auth tokens)", suffix: "ecr.api", policySupported: true },
  "ecr.dkr": { purpose: "ECR Docker registry (image pulls; layers come from S3)", suffix: "ecr.dkr", policySupported: true },
  logs: { purpose: "CloudWatch Logs: job and container logs", suffix: "logs", policySupported: true },
  sts: { purpose: "STS: role assumption, web identity, caller identity", suffix: "sts", policySupported: true },
  monitoring: { purpose: "CloudWatch metrics", suffix: "monitoring", policySupported: true },
  kms: { purpose: "KMS: encrypted volumes, buckets, secrets", suffix: "kms", policySupported: true },
  ssm: { purpose: "Systems Manager: parameters and Session Manager", suffix: "ssm", policySupported: true },
  ssmmessages: { purpose: "Session Manager channels (no bastion needed)", suffix: "ssmmessages", policySupported: false },
  ec2messages: { purpose: "Systems Manager agent messaging", suffix: "ec2messages", policySupported: false },
  secretsmanager: { purpose: "Secrets Manager: database and API credentials", suffix: "secretsmanager", policySupported: true },
  rekognition: { purpose: "Rekognition image and video analysis", suffix: "rekognition", policySupported: true },
  "kinesis-streams": { purpose: "Kinesis Data Streams ingestion", suffix: "kinesis-streams", policySupported: true },
  elasticloadbalancing: { purpose: "ELB API (load balancer controllers)", suffix: "elasticloadbalancing", policySupported: true },
  s3: {
    purpose: "S3 through PrivateLink (reachable from on-premises; in-VPC traffic keeps the gateway)",
    suffix: "s3",
    policySupported: true,
    servesPlainHttp: true,
  },
  ec2: { purpose: "EC2 API (cluster managers, autoscalers)", suffix: "ec2", policySupported: true },
  autoscaling: { purpose: "EC2 Auto Scaling API (scaling training clusters)", suffix: "autoscaling", policySupported: true },
  glue: { purpose: "Glue Data Catalog and jobs", suffix: "glue", policySupported: true },
  athena: { purpose: "Athena queries", suffix: "athena", policySupported: true },
  "codeartifact.api": { purpose: "CodeArtifact API (private PyPI mirror auth)", suffix: "codeartifact.api", policySupported: true },
  "codeartifact.repositories": { purpose: "CodeArtifact package downloads (pip without internet)", suffix: "codeartifact.repositories", policySupported: true },
  "bedrock-runtime": { purpose: "Bedrock model invocation", suffix: "bedrock-runtime", policySupported: true },
  elasticfilesystem: { purpose: "EFS API", suffix: "elasticfilesystem", policySupported: true },
  sqs: { purpose: "SQS queues for pipelines", suffix: "sqs", policySupported: true },
  events: { purpose: "EventBridge events from pipelines", suffix: "events", policySupported: true },
} as const satisfies Record<string, CatalogEntry>;

export type InterfaceService = keyof typeof INTERFACE_CATALOG;
export const INTERFACE_SERVICES = Object.keys(INTERFACE_CATALOG) as InterfaceService[];

/** Named sets of services. */
export const ENDPOINT_PRESETS = {
  /** What a SageMaker job in a private subnet cannot run without. */
  essentials: ["sagemaker.api", "sagemaker.runtime", "ecr.api", "ecr.dkr", "logs", "sts"],
  /** Session Manager access to instances, no bastion. */
  ssm: ["ssm", "ssmmessages", "ec2messages"],
  observability: ["logs", "monitoring"],
} as const satisfies Record<string, readonly InterfaceService[]>;

export type EndpointPreset = keyof typeof ENDPOINT_PRESETS;

export function serviceName(service: InterfaceService, region: string): string {
  const entry: CatalogEntry = INTERFACE_CATALOG[service];
  return serviceNameFromSuffix(entry.suffix, region, entry.sagemakerPrefix);
}

/**
 * A service name from its suffix, as the catalog builds them:
 * `com.amazonaws.<region>.<suffix>`, or `aws.sagemaker.<region>.<suffix>`.
 * Custom services given by `suffix` are expanded here too, so they follow the
 * catalog's prefix wherever the catalog's does.
 */
export function serviceNameFromSuffix(suffix: string, region: string, sagemakerPrefix = false): string {
  return sagemakerPrefix ? `aws.sagemaker.${region}.${suffix}` : `com.amazonaws.${region}.${suffix}`;
}

/** Expands presets and removes duplicates, keeping first-mention order. */
export function expandServices(entries: readonly string[]): InterfaceService[] {
  const out: string[] = [];
  for (const e of entries) {
    const list: readonly string[] = Object.prototype.hasOwnProperty.call(ENDPOINT_PRESETS, e) ? ENDPOINT_PRESETS[e as EndpointPreset] : [e];
    for (const s of list) if (!out.includes(s)) out.push(s);
  }
  return out as InterfaceService[];
}
