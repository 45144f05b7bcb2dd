/**
 * Synth-time enforcement: a validation on the stack that runs the rule pack
 * on the stack's Terraform JSON. Unsuppressed error findings fail `cdktf
 * synth` (and `npm run synth`) with rule, resource, construct path and fix.
 */
import type { TerraformStack } from "cdktf";
import type { TfJsonShape } from "../tfjson";
import { formatFinding, runPolicies, type PolicyOptions } from "./index";

export function enforceCompliance(stack: TerraformStack, options: PolicyOptions = {}, render: () => unknown = () => stack.toTerraform()): void {
  stack.node.addValidation({
    validate: () => runPolicies(render() as TfJsonShape, options).errors.map((f) => `compliance: ${formatFinding(f)}`),
  });
}
