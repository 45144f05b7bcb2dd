/**
 * The core the modules share: configuration errors, CIDR and port helpers,
 * AWS limits, policy documents, tags, suppressions and rule ids. Other layers
 * (environments, analysis) import it through this index only.
 */
export { AwsContext } from "./aws-context";
export * from "./aws-limits";
export { checkCidr, isCidr, networkOf, parseCidr, prefixOf, overlaps, within, nthBlock, firstSubnet, type CidrCheck } from "./cidr";
export * from "./errors";
export { LogGroupKey, type LogGroupKeyProps } from "./log-key";
export * from "./policy";
export * from "./ports";
export * from "./rule-ids";
export * from "./schema";
export * from "./suggest";
export * from "./suppressions";
export * from "./tags";
export * from "./tunnel-crypto";
export type { Exact } from "./types";
