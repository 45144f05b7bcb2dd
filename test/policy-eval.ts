/**
 * A small evaluator for resource policies such as VPC endpoint policies, so
 * tests can ask "would AWS let this request through?" instead of restating
 * the statements the code writes. It follows IAM's evaluation logic for the
 * parts endpoint policies use: an explicit Deny wins, then any Allow, else an
 * implicit deny; Action and Resource with `*` and `?` wildcards; conditions
 * StringEquals, StringNotEquals, StringLike, ArnLike, Bool and Null.
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
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "i" : "");
  return re.test(value);
}

function conditionHolds(condition: Statement["Condition"], context: PolicyRequest["context"]): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      const values = list(expected);
      const actual = context[key];
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

function matches(st: Statement, req: PolicyRequest): boolean {
  const actionOk = st.Action !== undefined ? list(st.Action).some((a) => wildcard(a, req.action, true)) : !list(st.NotAction).some((a) => wildcard(a, req.action, true));
  return actionOk && list(st.Resource).some((r) => wildcard(r, req.resource)) && conditionHolds(st.Condition, req.context);
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
