/**
 * A small evaluator for resource policies such as VPC endpoint policies, so
 * tests can ask "would AWS let this request through?" instead of restating
 * the statements the code writes. It follows IAM's evaluation logic for the
 * parts endpoint policies use: an explicit Deny wins, then any Allow, else an
 * implicit deny; Action/NotAction and Resource/NotResource with `*` and `?`
 * wildcards (within an ARN segment up to the resource part); the `*`
 * principal; conditions StringEquals, StringNotEquals, StringLike, ArnLike,
 * Bool and Null, with case-insensitive keys.
 * (IAM User Guide, "Policy evaluation logic" and "IAM JSON policy elements".)
 *
 * Terraform references in the policy text are replaced first: partition
 * `aws`, account 111122223333, and the given region.
 */
export interface PolicyRequest {
  readonly action: string;
  readonly resource: string;
  /** Request context keys, e.g. { "aws:PrincipalAccount": "111122223333", "aws:SecureTransport": "true" }. */
  readonly context: Record<string, string | undefined>;
}

export const OUR_ACCOUNT = "111122223333";

type Statement = {
  Effect: "Allow" | "Deny";
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    caseInsensitive ? "i" : "",
  );
  return re.test(value);
}

/** ARN matching: wildcards stay within their segment for partition, service, region and account. */
function arnMatches(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  const p = pattern.split(":");
  const v = value.split(":");
  if (p.length < 6 || v.length < 6) return wildcard(pattern, value);
  for (let i = 0; i < 5; i++) if (!wildcard(p[i], v[i])) return false;
  return wildcard(p.slice(5).join(":"), v.slice(5).join(":"));
}

function conditionHolds(condition: Statement["Condition"], context: PolicyRequest["context"]): boolean {
  // Condition keys are case-insensitive; values are compared as the operator says.
  const lower = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      const values = list(expected);
      const actual = lower[key.toLowerCase()];
      let ok: boolean;
      switch (operator) {
        case "StringEquals":
          ok = actual !== undefined && values.includes(actual);
          break;
        case "StringNotEquals":
          ok = actual === undefined || !values.includes(actual);
          break;
        case "StringLike":
        case "ArnLike":
          ok = actual !== undefined && values.some((v) => wildcard(v, actual));
          break;
        case "Bool":
          ok = actual !== undefined && values.includes(actual);
          break;
        case "Null":
          ok = values.includes(String(actual === undefined));
          break;
        default:
          throw new Error(`policy-eval: condition operator ${operator} is not supported`);
      }
      if (!ok) return false;
    }
  }
  return true;
}

function principalMatches(principal: unknown): boolean {
  // Endpoint policies name principals with "*" and narrow them with conditions; anything else is out of scope here.
  if (principal === undefined || principal === "*" || (typeof principal === "object" && principal !== null && (principal as { AWS?: unknown }).AWS === "*"))
    return true;
  throw new Error(`policy-eval: Principal ${JSON.stringify(principal)} is not supported`);
}

function matches(st: Statement, req: PolicyRequest): boolean {
  const actionOk =
    st.Action !== undefined ? list(st.Action).some((a) => wildcard(a, req.action, true)) : !list(st.NotAction).some((a) => wildcard(a, req.action, true));
  const resourceOk =
    st.Resource !== undefined ? list(st.Resource).some((r) => arnMatches(r, req.resource)) : !list(st.NotResource).some((r) => arnMatches(r, req.resource));
  return principalMatches(st.Principal) && actionOk && resourceOk && conditionHolds(st.Condition, req.context);
}

/** Parses a policy string from synthesized JSON, with Terraform references replaced. */
export function parsePolicy(text: string, region = "us-east-1"): Statement[] {
  const resolved = text
    .replace(/\$\{data\.aws_partition\.[^}]+\.partition\}/g, "aws")
    .replace(/\$\{data\.aws_caller_identity\.[^}]+\.account_id\}/g, OUR_ACCOUNT)
    .replace(/\$\{data\.aws_region\.[^}]+\.(region|name)\}/g, region);
  if (resolved.includes("${")) throw new Error(`policy-eval: unresolved reference in ${resolved}`);
  const doc = JSON.parse(resolved) as { Statement: Statement | Statement[] };
  return list(doc.Statement as never) as unknown as Statement[];
}

/** "allow" or "deny" (explicit or implicit), as IAM decides for a resource policy. */
export function evaluate(policyText: string, req: PolicyRequest, region?: string): "allow" | "explicit deny" | "implicit deny" {
  const statements = parsePolicy(policyText, region);
  if (statements.some((s) => s.Effect === "Deny" && matches(s, req))) return "explicit deny";
  return statements.some((s) => s.Effect === "Allow" && matches(s, req)) ? "allow" : "implicit deny";
}
