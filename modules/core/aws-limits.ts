/**
 * AWS limits the modules must respect, in one place, each with the page it
 * comes from: name lengths and characters per resource type, tag limits, and
 * the shapes of identifiers the library cannot check against AWS (ARNs, ids).
 *
 * The modules check the names they build from your input (with the field you
 * wrote), and `checkTerraformLimits` checks every resource of the final
 * Terraform JSON (names after prefixes, tags after the provider's default
 * tags are merged in), so nothing reaches AWS that AWS would refuse for one
 * of these reasons.
 */
import type { TerraformStack } from "cdktf";

/** A name rule: length bounds, allowed characters and the source page. */
export interface NameRule {
  readonly what: string;
  readonly min: number;
  readonly max: number;
  /** The whole value must match. */
  readonly pattern?: RegExp;
  /** The pattern in words, for messages. */
  readonly chars?: string;
  /** A further rule, as a predicate and its wording. */
  readonly also?: { readonly ok: (v: string) => boolean; readonly text: string };
  readonly source: string;
}

const IAM_QUOTAS = "IAM and AWS STS quotas, docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const IAM_NAME = { pattern: /^[\w+=,.@-]+$/, chars: "letters, digits and + = , . @ _ -" };

export const NAME_RULES = {
  iamRole: { what: "IAM role name", min: 1, max: 64, ...IAM_NAME, source: `${IAM_QUOTAS} (role name 64); IAM API CreateRole, RoleName` },
  iamPolicy: { what: "IAM policy name", min: 1, max: 128, ...IAM_NAME, source: `${IAM_QUOTAS} (policy name 128); IAM API CreatePolicy` },
  iamInlinePolicy: { what: "IAM inline policy name", min: 1, max: 128, ...IAM_NAME, source: "IAM API PutRolePolicy, PolicyName (pattern [\\w+=,.@-]+)" },
  iamInstanceProfile: { what: "IAM instance profile name", min: 1, max: 128, ...IAM_NAME, source: `${IAM_QUOTAS}; IAM API CreateInstanceProfile` },
  sagemakerNotebook: {
    what: "SageMaker notebook instance name",
    min: 1,
    max: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
    chars: "letters, digits and hyphens, starting and ending with a letter or digit",
    source: "SageMaker API CreateNotebookInstance, NotebookInstanceName (max 63, [a-zA-Z0-9](-*[a-zA-Z0-9])*)",
  },
  sagemakerDomain: {
    what: "SageMaker domain name",
    min: 1,
    max: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
    chars: "letters, digits and hyphens, starting and ending with a letter or digit",
    source: "SageMaker API CreateDomain, DomainName",
  },
  configRule: {
    what: "AWS Config rule name",
    min: 1,
    max: 128,
    pattern: /\S/,
    chars: "not only spaces",
    source: "AWS Config API PutConfigRule, ConfigRuleName (1-128)",
  },
  configRecorder: { what: "AWS Config recorder name", min: 1, max: 256, source: "AWS Config API PutConfigurationRecorder, Name (1-256)" },
  launchTemplate: {
    what: "launch template name",
    min: 3,
    max: 128,
    pattern: /^[a-zA-Z0-9().\-/_]+$/,
    chars: "letters, digits and ( ) . - / _",
    source: "EC2 API CreateLaunchTemplate, LaunchTemplateName (3-128)",
  },
  placementGroup: {
    what: "placement group name",
    min: 1,
    max: 255,
    pattern: /^[\x20-\x7e]+$/,
    chars: "ASCII",
    source: "EC2 API CreatePlacementGroup, GroupName (up to 255 ASCII characters)",
  },
  // AWS publishes no length or characters for this name (the API model types it as a plain string): the bound is a
  // conservative choice, the rule AWS documents for Direct Connect virtual interface names, upper case allowed.
  dxGateway: {
    what: "Direct Connect gateway name",
    min: 1,
    max: 100,
    pattern: /^[a-zA-Z0-9-]+$/,
    chars: "letters, digits and hyphens",
    source:
      "Direct Connect API CreateDirectConnectGateway, directConnectGatewayName (no published limit; docs.aws.amazon.com/directconnect/latest/APIReference/API_CreateDirectConnectGateway.html); bound from NewPrivateVirtualInterface, virtualInterfaceName (max 100, a-z 0-9 -)",
  },
  autoScalingGroup: {
    what: "Auto Scaling group name",
    min: 1,
    max: 255,
    pattern: /^[\x21-\x39\x3b-\x7e]+$/,
    chars: "ASCII 33-126 without a colon",
    source: "EC2 Auto Scaling API CreateAutoScalingGroup, AutoScalingGroupName (1-255, no colon)",
  },
  securityGroup: {
    what: "security group name",
    min: 1,
    max: 255,
    pattern: /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]+$/,
    chars: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
    also: { ok: (v) => !/^sg-/i.test(v), text: "must not start with sg-" },
    source: "EC2 API CreateSecurityGroup, GroupName (up to 255, not starting with sg-)",
  },
  loadBalancer: {
    what: "load balancer name",
    min: 1,
    max: 32,
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    chars: "letters, digits and hyphens, not starting or ending with a hyphen",
    also: { ok: (v) => !v.startsWith("internal-"), text: 'must not start with "internal-"' },
    source: "ELB API Reference, CreateLoadBalancer, Name (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html)",
  },
  targetGroup: {
    what: "target group name",
    min: 1,
    max: 32,
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    chars: "letters, digits and hyphens, not starting or ending with a hyphen",
    source: "ELB API Reference, CreateTargetGroup, Name (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html)",
  },
  kmsAlias: {
    what: "KMS alias",
    min: 7,
    max: 256,
    pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
    chars: "alias/ then letters, digits and / _ -",
    also: { ok: (v) => !v.startsWith("alias/aws/"), text: "must not start with alias/aws/ (reserved for AWS managed keys)" },
    source: "AWS KMS developer guide, Create aliases (docs.aws.amazon.com/kms/latest/developerguide/alias-create.html)",
  },
  logGroup: {
    what: "CloudWatch Logs log group name",
    min: 1,
    max: 512,
    pattern: /^[.\-_/#A-Za-z0-9]+$/,
    chars: "letters, digits and . - _ / #",
    also: { ok: (v) => !v.startsWith("aws/"), text: "must not start with aws/" },
    source: "CloudWatch Logs API CreateLogGroup, logGroupName (1-512)",
  },
  customerGatewayDevice: { what: "customer gateway device name", min: 1, max: 255, source: "EC2 API CreateCustomerGateway, DeviceName (up to 255 characters)" },
  route53ResolverName: {
    what: "Route 53 Resolver endpoint or rule name",
    min: 1,
    max: 64,
    pattern: /^[a-zA-Z0-9_ -]+$/,
    chars: "letters, digits, spaces, _ and -",
    also: { ok: (v) => !/^[0-9]+$/.test(v), text: "must not be only digits" },
    source:
      "Route 53 API Reference, ResolverRuleConfig, Name (max 64, (?!^[0-9]+$)([a-zA-Z0-9\\-_' ']+)), docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_ResolverRuleConfig.html",
  },
} as const satisfies Record<string, NameRule>;

export type NameRuleId = keyof typeof NAME_RULES;

const a = (what: string) => (/^[aeiouAEIOU]/.test(what) ? `an ${what}` : `a ${what}`);

/** What is wrong with a name under a rule, or undefined. */
export function nameProblem(rule: NameRule, value: string): string | undefined {
  if (value.length < rule.min || value.length > rule.max) {
    return `is ${value.length} characters; ${a(rule.what)} takes ${rule.min === 1 ? "at most" : `${rule.min} to`} ${rule.max}`;
  }
  if (rule.pattern && !rule.pattern.test(value)) return `has characters ${a(rule.what)} does not allow (${rule.chars})`;
  if (rule.also && !rule.also.ok(value)) return `${rule.also.text} (${rule.what})`;
  return undefined;
}

/**
 * Issues for the names a module will create from your input: each name is
 * checked against its rule and reported at the field you wrote, with how
 * long that field may be.
 */
export function nameIssues(
  names: readonly { readonly name: string; readonly rule: NameRuleId; readonly path: string; readonly value: unknown; readonly fix: string }[],
): { path: string; value: unknown; message: string; fix: string }[] {
  return names.flatMap((n) => {
    const problem = nameProblem(NAME_RULES[n.rule], n.name);
    return problem ? [{ path: n.path, value: n.value, message: `makes the ${NAME_RULES[n.rule].what} "${n.name}", which ${problem}`, fix: n.fix }] : [];
  });
}

/** Tag limits: "Tag restrictions", Amazon EC2 user guide (docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions), and "Tag naming limits and requirements" (Tagging AWS Resources). */
export const TAG_LIMITS = {
  /** User tags per resource; the provider's default tags are merged into every resource's tags and count. */
  maxTags: 50,
  keyMax: 128,
  valueMax: 256,
  /** The characters every service accepts (EC2 accepts more, but tags reach IAM, KMS and Logs too). */
  chars: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  charsText: "letters, digits, spaces and _ . : / = + - @",
  reservedPrefix: /^aws:/i,
  source: "Amazon EC2 user guide, Tag restrictions; Tagging AWS Resources, Tag naming limits and requirements",
} as const;

/** Issues of one set of tags: keys, values, reserved prefix, count (with `alsoAdded` keys the modules add). */
export function tagProblems(tags: Readonly<Record<string, unknown>>, alsoAdded: readonly string[] = []): { key?: string; message: string; fix: string }[] {
  const problems: { key?: string; message: string; fix: string }[] = [];
  for (const [key, value] of Object.entries(tags)) {
    if (key.length < 1 || key.length > TAG_LIMITS.keyMax)
      problems.push({ key, message: `is a tag key of ${key.length} characters; AWS allows 1 to ${TAG_LIMITS.keyMax}`, fix: "shorten the key" });
    if (TAG_LIMITS.reservedPrefix.test(key))
      problems.push({ key, message: "starts with aws:, which AWS reserves for its own tags", fix: "use another prefix, e.g. your company's" });
    if (!TAG_LIMITS.chars.test(key))
      problems.push({
        key,
        message: `has characters tag keys may not hold across services (${TAG_LIMITS.charsText})`,
        fix: "replace the other characters, e.g. with -",
      });
    if (typeof value !== "string") continue; // the schema reports the type
    if (value.length > TAG_LIMITS.valueMax)
      problems.push({ key, message: `has a value of ${value.length} characters; AWS allows ${TAG_LIMITS.valueMax}`, fix: "shorten the value" });
    if (!TAG_LIMITS.chars.test(value))
      problems.push({
        key,
        message: `has a value with characters tags may not hold across services (${TAG_LIMITS.charsText})`,
        fix: "replace the other characters, e.g. with -",
      });
  }
  const total = new Set([...Object.keys(tags), ...alsoAdded].filter((k) => !TAG_LIMITS.reservedPrefix.test(k))).size;
  if (total > TAG_LIMITS.maxTags) {
    problems.push({
      message: `make ${total} tags on a resource${alsoAdded.length ? ` with the ${alsoAdded.join(", ")} the modules add` : ""}; AWS allows ${TAG_LIMITS.maxTags}`,
      fix: `drop ${total - TAG_LIMITS.maxTags} tag${total - TAG_LIMITS.maxTags === 1 ? "" : "s"}`,
    });
  }
  return problems;
}

/**
 * Issues of a `tags` prop at `path` (a map of strings), with the keys the
 * modules add to every resource (`Name`, and `Tier` or `Cluster`) counted.
 */
export function tagIssues(tags: unknown, path: string, alsoAdded: readonly string[] = []): { path: string; value: unknown; message: string; fix: string }[] {
  if (tags === undefined) return [];
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    return [{ path, value: tags, message: "is not a map of tag names to values", fix: 'give an object such as { Team: "ml" }' }];
  }
  const nonString = Object.entries(tags as Record<string, unknown>).filter(([, v]) => typeof v !== "string");
  return [
    ...nonString.map(([k, v]) => ({
      path: `${path}.${k}`,
      value: v,
      message: "is not a string; tag values are strings",
      fix: `write it in quotes: "${String(v)}"`,
    })),
    ...tagProblems(tags as Record<string, unknown>, alsoAdded).map((p) => ({
      path: p.key !== undefined ? `${path}.${p.key}` : path,
      value: p.key !== undefined ? (tags as Record<string, unknown>)[p.key] : Object.keys(tags).length,
      message: p.message,
      fix: p.fix,
    })),
  ];
}

/** Identifier shapes, for inputs the library cannot look up (ARNs, ids). Partitions: aws, aws-cn, aws-us-gov. */
const ARN_PREFIX = "arn:aws(?:-cn|-us-gov)?";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const MRK = "mrk-[0-9a-f]{32}";
const ACCOUNT = "\\d{12}";
const REGION = "[a-z]{2}(?:-gov)?-[a-z]+-\\d";

export const SHAPES = {
  kmsKeyArn: {
    re: new RegExp(`^${ARN_PREFIX}:kms:${REGION}:${ACCOUNT}:key/(?:${UUID}|${MRK})$`),
    example: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  },
  /** What Terraform's S3 backend and most KMS parameters take: key id, key ARN, alias, alias ARN. */
  kmsKeyAny: {
    re: new RegExp(`^(?:${UUID}|${MRK}|alias/[a-zA-Z0-9/_-]+|${ARN_PREFIX}:kms:${REGION}:${ACCOUNT}:(?:key/(?:${UUID}|${MRK})|alias/[a-zA-Z0-9/_-]+))$`),
    example: "a key id (1234abcd-12ab-34cd-56ef-1234567890ab), alias/name, or a key or alias ARN",
  },
  iamRoleArn: { re: new RegExp(`^${ARN_PREFIX}:iam::${ACCOUNT}:role/[\\w+=,.@/-]+$`), example: "arn:aws:iam::111122223333:role/terraform" },
  iamPolicyArn: { re: new RegExp(`^${ARN_PREFIX}:iam::(?:aws|${ACCOUNT}):policy/[\\w+=,.@/-]+$`), example: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" },
  resourceGroupArn: {
    re: new RegExp(`^${ARN_PREFIX}:resource-groups:${REGION}:${ACCOUNT}:group/[a-zA-Z0-9_.-]+$`),
    example: "arn:aws:resource-groups:us-east-1:111122223333:group/my-reservations",
  },
  // EC2 resource ids: a prefix and 8 (before 2016) or 17 characters ("Resource IDs", docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
  vpcId: { re: /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: "vpc-0123456789abcdef0" },
  subnetId: { re: /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: "subnet-0123456789abcdef0" },
  routeTableId: { re: /^rtb-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, example: "rtb-0123456789abcdef0" },
  prefixListId: { re: /^pl-[0-9a-f]{8,17}$/, example: "pl-63a5400a" },
  capacityReservationId: { re: /^cr-[0-9a-f]{8,17}$/, example: "cr-0123456789abcdef0" },
  ebsDeviceName: { re: /^\/dev\/(?:sd[a-z]\d*|xvd[a-z]\d*|nvme\d+n\d+)$/, example: "/dev/sda1 (Ubuntu) or /dev/xvda (Amazon Linux)" },
} as const;

export type ShapeId = keyof typeof SHAPES;

/**
 * S3 bucket naming rules ("General purpose bucket naming rules", Amazon S3
 * user guide, docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters; bucket names take 3 to 63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return "may hold only lower-case letters, digits, dots and hyphens, and must start and end with a letter or digit";
  if (name.includes("..")) return "has two dots in a row";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "is formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name))
    return "uses a prefix or suffix Amazon S3 reserves";
  return undefined;
}

/**
 * Terraform's S3 backend rules for a state key or key prefix: not empty, no
 * leading or trailing "/", no "//" (hashicorp/terraform,
 * internal/backend/remote-state/s3/validate.go).
 */
export function stateKeyProblem(key: string): string | undefined {
  if (key.trim() === "") return "is empty";
  if (key.startsWith("/") || key.endsWith("/")) return 'starts or ends with "/", which Terraform rejects (S3 would strip or treat it as a folder)';
  if (key.includes("//")) return 'contains "//", which Terraform rejects';
  return undefined;
}

/** Resource types the AWS provider gives no `tags` argument (or tags through blocks). */
export const UNTAGGABLE_TYPES: ReadonlySet<string> = new Set([
  "aws_route",
  "aws_route_table_association",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_kms_alias",
  "aws_vpc_ipv4_cidr_block_association",
  "aws_network_acl_rule",
  "aws_network_acl_association",
  "aws_vpc_endpoint_route_table_association",
  "aws_vpc_endpoint_subnet_association",
  "aws_vpn_gateway_route_propagation",
  "aws_vpn_connection_route",
  "aws_autoscaling_group",
  "aws_security_group_rule",
  "aws_config_configuration_recorder",
  "aws_config_configuration_recorder_status",
  "aws_config_delivery_channel",
  "aws_main_route_table_association",
  "aws_vpn_gateway_attachment",
  "aws_internet_gateway_attachment",
  // Hybrid DNS, Direct Connect: no `tags` in the hashicorp/aws 6.x schema of these types (the generated
  // bindings, @cdktf/provider-aws lib/<type>, have none either).
  "aws_route53_record",
  "aws_route53_resolver_rule_association",
  "aws_dx_gateway",
  "aws_dx_gateway_association",
]);

/** Name attributes of the Terraform resource types the modules create, with their rule. */
export const TERRAFORM_NAMES: Readonly<Record<string, readonly { readonly attr: string; readonly rule: NameRuleId }[]>> = {
  aws_iam_role: [{ attr: "name", rule: "iamRole" }],
  aws_iam_policy: [{ attr: "name", rule: "iamPolicy" }],
  aws_iam_role_policy: [{ attr: "name", rule: "iamInlinePolicy" }],
  aws_iam_instance_profile: [{ attr: "name", rule: "iamInstanceProfile" }],
  aws_sagemaker_notebook_instance: [{ attr: "name", rule: "sagemakerNotebook" }],
  aws_sagemaker_domain: [{ attr: "domain_name", rule: "sagemakerDomain" }],
  aws_config_config_rule: [{ attr: "name", rule: "configRule" }],
  aws_config_configuration_recorder: [{ attr: "name", rule: "configRecorder" }],
  aws_launch_template: [{ attr: "name", rule: "launchTemplate" }],
  aws_placement_group: [{ attr: "name", rule: "placementGroup" }],
  aws_autoscaling_group: [{ attr: "name", rule: "autoScalingGroup" }],
  aws_security_group: [{ attr: "name", rule: "securityGroup" }],
  aws_kms_alias: [{ attr: "name", rule: "kmsAlias" }],
  aws_cloudwatch_log_group: [{ attr: "name", rule: "logGroup" }],
  aws_customer_gateway: [{ attr: "device_name", rule: "customerGatewayDevice" }],
};

/** One breach of a limit in Terraform JSON. */
export interface LimitBreach {
  readonly address: string;
  /** Construct path, when cdktf wrote one. */
  readonly path?: string;
  /** The attribute or tag: `name`, `tags.Owner`. */
  readonly field: string;
  readonly value: unknown;
  readonly message: string;
  readonly fix: string;
  readonly source: string;
}

type Json = { resource?: Record<string, Record<string, Record<string, unknown>>>; provider?: Record<string, unknown> };

/** Literal strings only: a `${...}` reference is resolved by Terraform and cannot be judged here. */
const literal = (v: unknown): v is string => typeof v === "string" && !v.includes("${");

/**
 * Every name and tag of a Terraform JSON document checked against the
 * limits: names per TERRAFORM_NAMES; tags after the provider's default tags
 * are merged in (what AWS receives), on the resource and in an auto scaling
 * group's or launch template's tag blocks.
 */
export function checkTerraformLimits(json: Json, untaggable: ReadonlySet<string> = UNTAGGABLE_TYPES): LimitBreach[] {
  const breaches: LimitBreach[] = [];
  const aws = json.provider?.aws;
  const first = (Array.isArray(aws) ? aws[0] : aws) as { default_tags?: { tags?: Record<string, string> }[] | { tags?: Record<string, string> } } | undefined;
  const dt = first?.default_tags;
  const defaults = (Array.isArray(dt) ? dt[0]?.tags : dt?.tags) ?? {};
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      const path = (body["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? undefined;
      for (const { attr, rule } of TERRAFORM_NAMES[type] ?? []) {
        const value = body[attr];
        if (!literal(value)) continue;
        const r: NameRule = NAME_RULES[rule];
        const problem = nameProblem(r, value);
        if (problem)
          breaches.push({
            address,
            path,
            field: attr,
            value,
            message: problem,
            fix: "shorten the parts it is built from (the name prefix, the cluster, notebook or rule name)",
            source: r.source,
          });
      }
      const tagSets: { field: string; tags: Record<string, unknown>; merged: boolean }[] = [];
      if (!untaggable.has(type) && body.tags && typeof body.tags === "object")
        tagSets.push({ field: "tags", tags: { ...defaults, ...(body.tags as Record<string, unknown>) }, merged: true });
      if (type === "aws_autoscaling_group" && Array.isArray(body.tag)) {
        tagSets.push({ field: "tag", tags: Object.fromEntries((body.tag as { key: string; value: unknown }[]).map((t) => [t.key, t.value])), merged: false });
      }
      if (Array.isArray(body.tag_specifications)) {
        for (const spec of body.tag_specifications as { resource_type?: string; tags?: Record<string, unknown> }[]) {
          if (spec.tags) tagSets.push({ field: `tag_specifications[${spec.resource_type}]`, tags: spec.tags, merged: false });
        }
      }
      for (const { field, tags, merged } of tagSets) {
        const literalTags = Object.fromEntries(Object.entries(tags).filter(([k, v]) => literal(k) && (v === undefined || literal(v) || typeof v !== "string")));
        for (const p of tagProblems(literalTags)) {
          breaches.push({
            address,
            path,
            field: p.key ? `${field}.${p.key}` : field,
            value: p.key ? literalTags[p.key] : Object.keys(literalTags).length,
            message: `${p.message}${merged && !p.key ? " (the provider's default tags included)" : ""}`,
            fix: p.fix,
            source: TAG_LIMITS.source,
          });
        }
      }
    }
  }
  return breaches;
}

/** Breaches as configuration issues: at the construct path and attribute, with the limit's source. */
export function limitIssues(json: unknown): { path: string; value: unknown; message: string; fix: string }[] {
  return checkTerraformLimits(json as Json).map((b) => ({
    path: `${b.path ?? b.address}.${b.field}`,
    value: b.value,
    message: `aws-limits: ${b.address}${b.path ? ` (${b.path})` : ""}: ${b.field} ${typeof b.value === "string" ? JSON.stringify(b.value) : String(b.value)} ${b.message}. Source: ${b.source}`,
    fix: b.fix,
  }));
}

/** One line per breach, for a validation message. */
export function formatBreach(b: LimitBreach): string {
  const value = typeof b.value === "string" ? JSON.stringify(b.value) : String(b.value);
  return `${b.address}${b.path ? ` (${b.path})` : ""}: ${b.field} ${value} ${b.message}. Fix: ${b.fix}. Source: ${b.source}`;
}

/**
 * Adds a validation to a stack that checks its rendered Terraform JSON
 * against AWS's name and tag limits (`checkTerraformLimits`): what the
 * modules build from your input, and anything you add yourself. `render`
 * lets a stack share one rendering between checks.
 */
export function enforceAwsLimits(stack: TerraformStack, render: () => unknown = () => stack.toTerraform()): void {
  stack.node.addValidation({ validate: () => checkTerraformLimits(render() as Json).map((b) => `aws-limits: ${formatBreach(b)}`) });
}
