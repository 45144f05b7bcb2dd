/**
 * Endpoint policies: a data perimeter on every endpoint that supports one.
 *
 * - Only principals of this account (or of a configured AWS Organization)
 *   may use the endpoint.
 * - S3, when bucket ARNs are configured, reaches only those buckets, plus the
 *   AWS-owned bucket ECR stores image layers in (image pulls fail otherwise:
 *   ECR hands out pre-signed S3 URLs signed by AWS, not by your principals).
 * - Services that also serve plain HTTP (S3, DynamoDB) deny requests without
 *   TLS (aws:SecureTransport = false).
 */
import type { PolicyDocument, PolicyStatement } from "../core/policy";

export interface PerimeterOptions {
  /** Account id (a literal or a Terraform reference). */
  readonly accountId: string;
  /** AWS Organization id (`o-...`): when given, any principal of the organization. */
  readonly organizationId?: string;
  /** Region, for the ECR layer bucket name. */
  readonly region: string;
  readonly partition: string;
}

function principalCondition(o: PerimeterOptions): Record<string, Record<string, string>> {
  return o.organizationId
    ? { StringEquals: { "aws:PrincipalOrgID": o.organizationId } }
    : { StringEquals: { "aws:PrincipalAccount": o.accountId } };
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

/** S3 limited to the given buckets (and ECR's layer bucket), for principals inside the perimeter. */
export function s3BucketPolicy(o: PerimeterOptions, bucketArns: readonly string[]): PolicyDocument {
  const resources = bucketArns.flatMap((arn) => [arn, `${arn}/*`]);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowConfiguredBuckets",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: principalCondition(o),
      },
      {
        Sid: "AllowEcrImageLayers",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `arn:${o.partition}:s3:::prod-${o.region}-starport-layer-bucket/*`,
      },
      DENY_PLAIN_HTTP,
    ],
  };
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
