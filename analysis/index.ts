/** Analysis of Terraform JSON: this project's or anyone's. */
export { TfDocument, type TfResource, type TfJsonShape, type Suppression } from "./tfjson";
export { runPolicies, formatFinding, RULES, REQUIRED_TAGS, type Finding, type SuppressedFinding, type PolicyResult, type PolicyOptions } from "./policy";
export { enforceCompliance } from "./policy/enforce";
