/**
 * Analysis of Terraform JSON, this project's or anyone's: the compliance
 * pack, the network model, reachability, cost and the diagram.
 * Also importable as "ml-network-cdktf/analysis".
 */
export { TfDocument, type TfResource, type TfJsonShape, type Suppression } from "./tfjson";
export {
  runPolicies,
  complianceIssues,
  formatFinding,
  RULES,
  REQUIRED_TAGS,
  requiredTagsIssues,
  UNTAGGABLE_TYPES,
  type Finding,
  type SuppressedFinding,
  type PolicyResult,
  type PolicyOptions,
  type Rule,
  type RuleContext,
  type Severity,
} from "./policy";
export { enforceCompliance } from "./policy/enforce";
export * from "./model";
export {
  analyzeReachability,
  internetFrom,
  groupFlow,
  naclVerdict,
  groupTiers,
  type Verdict,
  type GroupFlow,
  type ReachabilityReport,
  type ReachabilityOptions,
  type DnsReport,
  type LoadBalancerReport,
} from "./reachability";
export {
  estimateCost,
  pricesFor,
  DEFAULT_USAGE,
  US_EAST_1_PRICES,
  REGION_PRICE_OVERRIDES,
  PRICED_REGIONS,
  type PriceList,
  type Usage,
  type CostItem,
  type CostReport,
} from "./cost";
export { toDot, renderSvg } from "./diagram";
export { buildReport, writeReport, toMarkdown, type ReportInput, type ReportResult, type Step } from "./report";
