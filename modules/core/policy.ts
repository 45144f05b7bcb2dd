/**
 * IAM and resource policy documents as Terraform strings.
 *
 * Pretty-printed on purpose: cdktf renders a multi-line string as an HCL
 * heredoc, which needs no quote escaping, whereas a one-line JSON string that
 * contains `${...}` references is written to HCL with its quotes unescaped
 * (invalid HCL). The JSON output stays a plain JSON string that analysis
 * tools can parse.
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyJson(doc: PolicyDocument): string {
  return JSON.stringify(doc, null, 2);
}

/**
 * Trust policy that lets one AWS service (`ec2.amazonaws.com`, ...) assume a
 * role, with the confused-deputy condition (aws:SourceAccount, ...) where the
 * service sets one.
 */
export function serviceTrustPolicy(service: string, condition?: PolicyStatement["Condition"]): string {
  return policyJson({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
  });
}
