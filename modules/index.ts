/**
 * Public API: every module of the package, with its props and types.
 *
 *   import { MlVpc, type IMlNetwork } from "ml-network-cdktf";
 */
export * from "./network";
export { ConfigError, type ConfigIssue } from "./core/errors";
