/**
 * Public API: every module of the package, with its props and types.
 *
 *   import { MlVpc, SegmentedSecurityGroups, TierNetworkAcls, type IMlNetwork } from "ml-network-cdktf";
 */
export * from "./network";
export * from "./security-groups";
export * from "./network-acls";
export { ConfigError, type ConfigIssue } from "./core/errors";
export {
  NAME_RULES,
  TAG_LIMITS,
  SHAPES,
  checkTerraformLimits,
  enforceAwsLimits,
  formatBreach,
  nameProblem,
  tagProblems,
  bucketNameProblem,
  stateKeyProblem,
  type NameRule,
  type LimitBreach,
} from "./core/aws-limits";
export type { PortSpec, PortRange, Protocol } from "./core/ports";
export * from "./endpoints";
export * from "./vpn";
export * from "./efa-cluster";
export * from "./sagemaker";
export * from "./blueprints";
export { suppress, type SuppressionEntry } from "./core/suppressions";
export { RULE_IDS, type RuleId } from "./core/rule-ids";
export * from "./governance";
export * from "./hybrid-dns";
export * from "./direct-connect";
export * from "./partner-endpoints";
export * from "./inference-ingress";
