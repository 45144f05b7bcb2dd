/**
 * The package entry (`ml-network-cdktf`): every module, and the analysis of
 * Terraform JSON (compliance pack, model, reachability, cost, diagram).
 *
 *   import { MlVpc, SegmentedSecurityGroups, runPolicies } from "ml-network-cdktf";
 *
 * The layers stay apart underneath: modules/ never imports analysis/.
 */
export * from "./modules";
export * from "./analysis";
