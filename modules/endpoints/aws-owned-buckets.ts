/**
 * The AWS-owned S3 buckets that instances in a private subnet read through the
 * S3 gateway endpoint. Requests to them are signed by AWS service accounts
 * (ECR hands out pre-signed URLs) or read public AWS content, so an endpoint
 * policy that admits only this account's principals breaks image pulls, the
 * SSM Agent and package installs. Each is allowed read-only (`s3:GetObject`
 * on its objects), named per region exactly as the source documents it.
 *
 * Sources:
 * - ECR: "Amazon ECR interface VPC endpoints (AWS PrivateLink)", section
 *   "Minimum Amazon S3 bucket permissions for Amazon ECR",
 *   docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 * - SSM Agent: "SSM Agent communications with AWS managed S3 buckets",
 *   docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html
 *   Left out on purpose: aws-windows-downloads-<region> (Windows documents),
 *   amazon-ssm-packages-<region> (agents older than 2.2.45.0, 2019) and
 *   aws-patchmanager-macos-<region> (macOS): none runs in these networks.
 * - Amazon Linux repositories (AL2023, AL2, Amazon Linux AMI): "Sample
 *   policies for private subnets that access Amazon S3",
 *   docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html
 *   SageMaker notebook instances run Amazon Linux; their package installs
 *   read these buckets.
 *
 * The names are documented for the `aws` partition; GovCloud and China are
 * assumed to use the same patterns with their partition in the ARN and, in
 * China, the amazonaws.com.cn DNS suffix (not confirmed by AWS documentation;
 * checked 2026-11).
 */

export interface AwsOwnedBucket {
  /** Bucket name in the region. */
  readonly bucket: string;
  /** The service that reads it. */
  readonly for: "ECR image layers" | "SSM Agent" | "Amazon Linux packages";
}

/** me-south-1 and a few other regions use extended names for two SSM buckets (SSM user guide, "Step 6"). */
const SSM_EXTENDED_NAMES: Readonly<Record<string, { readonly patchBaseline: string; readonly modules: string }>> = {
  "me-south-1": { patchBaseline: "patch-baseline-snapshot-me-south-1-uduvl7q8", modules: "aws-patch-manager-me-south-1-a53fc9dce" },
};

/** Regions where Distributor packages come from aws-ssm-distributor-file-<region> instead of <region>-birdwatcher-prod. */
const DISTRIBUTOR_FILE_REGIONS = ["af-south-1", "eu-south-1"];

/** The DNS suffix of a region's endpoints: China regions use amazonaws.com.cn. */
function dnsSuffix(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The AWS-owned buckets of one region. `region` may be a Terraform reference
 * (a library user's network without a region): then the standard names apply,
 * and the regional exceptions and China's DNS suffix cannot be; give the
 * network a region to get them.
 */
export function awsOwnedBuckets(region: string): AwsOwnedBucket[] {
  const extended = Object.prototype.hasOwnProperty.call(SSM_EXTENDED_NAMES, region) ? SSM_EXTENDED_NAMES[region] : undefined;
  const domain = dnsSuffix(region);
  return [
    { bucket: `prod-${region}-starport-layer-bucket`, for: "ECR image layers" },
    { bucket: `amazon-ssm-${region}`, for: "SSM Agent" },
    { bucket: extended?.modules ?? `aws-ssm-${region}`, for: "SSM Agent" },
    { bucket: DISTRIBUTOR_FILE_REGIONS.includes(region) ? `aws-ssm-distributor-file-${region}` : `${region}-birdwatcher-prod`, for: "SSM Agent" },
    { bucket: `aws-ssm-document-attachments-${region}`, for: "SSM Agent" },
    { bucket: extended?.patchBaseline ?? `patch-baseline-snapshot-${region}`, for: "SSM Agent" },
    { bucket: `al2023-repos-${region}-de612dc2`, for: "Amazon Linux packages" },
    { bucket: `amazonlinux-2-repos-${region}`, for: "Amazon Linux packages" },
    { bucket: `amazonlinux.${region}.${domain}`, for: "Amazon Linux packages" },
    { bucket: `packages.${region}.${domain}`, for: "Amazon Linux packages" },
    { bucket: `repo.${region}.${domain}`, for: "Amazon Linux packages" },
  ];
}

/** Object ARNs of the AWS-owned buckets, for an endpoint policy's Resource. */
export function awsOwnedObjectArns(region: string, partition: string): string[] {
  return awsOwnedBuckets(region).map((b) => `arn:${partition}:s3:::${b.bucket}/*`);
}
