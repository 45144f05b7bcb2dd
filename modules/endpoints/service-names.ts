/**
 * The shapes of PrivateLink service names, for services the catalog does not
 * list (`interface.customServices`).
 *
 * AWS services are named `<prefix>.<region>.<service>`. Most use the prefix
 * `com.amazonaws` (`cn.com.amazonaws` in the China Regions); a few use
 * `aws.sagemaker` (notebook, studio, partner-app, experiments), `aws.api`
 * (bcm-data-exports, freetier, kendra-ranking, qbusiness, ...) or `api.aws`
 * (cassandra-streams). A few are global, without a Region: `com.amazonaws.iam`
 * and `com.amazonaws.route53`. Endpoint services that other accounts or AWS
 * Marketplace partners host are named `com.amazonaws.vpce.<region>.vpce-svc-<id>`.
 * Sources: AWS PrivateLink guide, "AWS services that integrate with AWS
 * PrivateLink" (the `describe-vpc-endpoint-services` example output and the
 * cross-Region table), docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html;
 * "Share your services through AWS PrivateLink" for endpoint services; checked 2025.
 *
 * Endpoint services take no endpoint policy ("When you create a VPC endpoint
 * for an endpoint service other than an AWS service, we allow full access to
 * the endpoint", "Control access to VPC endpoints using endpoint policies",
 * docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html), and
 * offer a private DNS name only when their owner configured and verified one
 * ("Consumers of the endpoint service can use the private name only when the
 * state is verified", EC2 API reference, PrivateDnsNameConfiguration).
 */

const REGION = "[a-z]{2}(?:-gov)?-[a-z]+-\\d{1,2}";
/** Dot-separated labels of lower-case letters, digits and inner hyphens: `sagemaker.featurestore-runtime`. */
const LABEL = "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
const SERVICE = `${LABEL}(?:\\.${LABEL})*`;

const AWS_SERVICE = new RegExp(`^(?:(?:cn\\.)?com\\.amazonaws|aws\\.sagemaker|aws\\.api|api\\.aws)\\.(${REGION})\\.(${SERVICE})$`);
const ENDPOINT_SERVICE = new RegExp(`^(?:cn\\.)?com\\.amazonaws\\.vpce\\.(${REGION})\\.vpce-svc-[0-9a-f]{8,17}$`);
const SUFFIX = new RegExp(`^${SERVICE}$`);

/** Global AWS services, named without a Region (the cross-Region table of the PrivateLink guide). */
export const GLOBAL_SERVICE_NAMES: readonly string[] = ["com.amazonaws.iam", "com.amazonaws.route53"];

/** What a full service name is: an AWS service (regional or global) or an endpoint service, and its Region. */
export interface ParsedServiceName {
  readonly kind: "aws" | "endpoint-service";
  /** The Region in the name; none for a global service. */
  readonly region?: string;
}

/** Parses a full PrivateLink service name; undefined when it has none of the shapes above. */
export function parseServiceName(name: string): ParsedServiceName | undefined {
  if (GLOBAL_SERVICE_NAMES.includes(name)) return { kind: "aws" };
  const endpointService = ENDPOINT_SERVICE.exec(name);
  if (endpointService) return { kind: "endpoint-service", region: endpointService[1] };
  const aws = AWS_SERVICE.exec(name);
  return aws ? { kind: "aws", region: aws[1] } : undefined;
}

/** Whether a full name is an endpoint service of another account or partner (`com.amazonaws.vpce.<region>.vpce-svc-...`). */
export function isEndpointServiceName(name: string): boolean {
  return parseServiceName(name)?.kind === "endpoint-service";
}

/** What is wrong with a service-name suffix (the part after `com.amazonaws.<region>.`), if anything. */
export function suffixProblem(suffix: string): { message: string; fix: string } | undefined {
  if (parseServiceName(suffix) || /^(?:cn\.)?com\.amazonaws\.|^aws\.(?:sagemaker|api)\.|^api\.aws\./.test(suffix)) {
    return { message: "is a full service name, not a suffix", fix: "give it as serviceName instead, or keep only the part after the Region" };
  }
  if (/^vpce-svc-/.test(suffix)) {
    return { message: "is an endpoint service id", fix: "give the endpoint service's full name as serviceName: com.amazonaws.vpce.<region>.vpce-svc-..." };
  }
  if (new RegExp(`^${REGION}(?:\\.|$)`).test(suffix)) {
    return {
      message: "starts with a Region; the module adds the network's Region itself",
      fix: "keep only the part after the Region, e.g. bedrock-agent-runtime",
    };
  }
  if (!SUFFIX.test(suffix)) {
    return {
      message: "is not a service-name suffix (lower-case letters, digits, hyphens, and dots between parts)",
      fix: "use the part after com.amazonaws.<region>. of the service name, e.g. bedrock-agent-runtime or sagemaker.featurestore-runtime",
    };
  }
  return undefined;
}
