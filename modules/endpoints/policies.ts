/**
 * Endpoint policies: a data perimeter on every endpoint that supports one.
 *
 * - Only principals of this account (or of a configured AWS Organization)
 *   may use the endpoint.
 * - S3, when bucket ARNs are configured, reaches only those buckets.
 * - S3 always admits read-only access to the AWS-owned buckets that ECR image
 *   pulls, the SSM Agent and Amazon Linux package installs need (see
 *   aws-owned-buckets.ts): ECR hands out pre-signed URLs signed by AWS, not by
 *   your principals, so a principal condition alone would break them.
 * - Services that also serve plain HTTP (S3, DynamoDB) deny requests without
 *   TLS (aws:SecureTransport = false).
 */
import type { PolicyDocument, PolicyStatement } from "../core/policy";
import { awsOwnedObjectArns } from "./aws-owned-buckets";

export interface PerimeterOptions {
  /** Account id (a literal or a Terraform reference). */
  readonly accountId: string;
  /** AWS Organization id (`o-...`): when given, any principal of the organization. */
  readonly organizationId?: string;
  /** Region, for the names of the AWS-owned buckets. */
  readonly region: string;
  readonly partition: string;
}

function principalCondition(o: PerimeterOptions): Record<string, Record<string, string>> {
  return o.organizationId ? { StringEquals: { "aws:PrincipalOrgID": o.organizationId } } : { StringEquals: { "aws:PrincipalAccount": o.accountId } };
}

const DENY_PLAIN_HTTP: PolicyStatement = {
  Sid: "DenyRequestsWithoutTls",
  Effect: "Deny",
  Principal: "*",
  Action: "*",
  Resource: "*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

/** Any action of the service, for principals inside the perimeter. */
export function perimeterPolicy(o: PerimeterOptions, denyPlainHttp: boolean): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: o.organizationId ? "AllowPrincipalsOfTheOrganization" : "AllowPrincipalsOfThisAccount",
      Effect: "Allow",
      Principal: "*",
      Action: "*",
      Resource: "*",
      Condition: principalCondition(o),
    },
  ];
  if (denyPlainHttp) statements.push(DENY_PLAIN_HTTP);
  return { Version: "2012-10-17", Statement: statements };
}

/** Read-only access to the AWS-owned buckets of the region, for any principal (the requests are signed by AWS). */
function awsOwnedBucketsStatement(o: PerimeterOptions): PolicyStatement {
  return {
    Sid: "AllowAwsOwnedBucketsReadOnly",
    Effect: "Allow",
    Principal: "*",
    Action: "s3:GetObject",
    Resource: awsOwnedObjectArns(o.region, o.partition),
  };
}

/**
 * The S3 endpoint policy: the configured buckets (or, with none, any bucket)
 * for principals inside the perimeter; the AWS-owned buckets read-only; no
 * plain HTTP.
 */
export function s3EndpointPolicy(o: PerimeterOptions, bucketArns: readonly string[] = []): PolicyDocument {
  const own: PolicyStatement =
    bucketArns.length > 0
      ? {
          Sid: "AllowConfiguredBuckets",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:*",
          Resource: bucketArns.flatMap((arn) => [arn, `${arn}/*`]),
          Condition: principalCondition(o),
        }
      : perimeterPolicy(o, false).Statement[0];
  // Plain HTTP stays denied for everything but the AWS-owned public content: Amazon Linux 2's yum
  // reads its mirror lists over http by default, and the SSM Agent may download over http
  // ("SSM Agent communications with AWS managed S3 buckets"); the packages are signed.
  const { Resource: _all, ...denyShape } = DENY_PLAIN_HTTP;
  void _all;
  const denyPlainHttp: PolicyStatement = { ...denyShape, NotResource: awsOwnedObjectArns(o.region, o.partition) };
  return { Version: "2012-10-17", Statement: [own, awsOwnedBucketsStatement(o), denyPlainHttp] };
}

/** Checks that a policy text is JSON and shaped like an IAM policy document an endpoint accepts. */
export function checkPolicyDocument(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return `is not valid JSON (${(err as Error).message})`;
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return "is not a JSON object";
  const d = doc as Record<string, unknown>;
  if (d.Version !== "2012-10-17" && d.Version !== "2008-10-17") return 'has no Version "2012-10-17"';
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement ? [d.Statement] : [];
  if (statements.length === 0) return "has no Statement";
  for (const [i, st] of statements.entries()) {
    if (!st || typeof st !== "object") return `Statement[${i}] is not an object`;
    const s = st as Record<string, unknown>;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") return `Statement[${i}] has no Effect "Allow" or "Deny"`;
    if (s.Principal === undefined && s.NotPrincipal === undefined) return `Statement[${i}] has no Principal (endpoint policies require one)`;
    if (s.Action === undefined && s.NotAction === undefined) return `Statement[${i}] has no Action`;
    if (s.Resource === undefined && s.NotResource === undefined) return `Statement[${i}] has no Resource`;
  }
  if (text.length > 20480) return "is longer than the 20,480 characters AWS allows for an endpoint policy";
  return undefined;
}
