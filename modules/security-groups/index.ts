/**
 * SegmentedSecurityGroups: one security group per ML function (notebook,
 * training, inference, data, vpcEndpoints, and efa when enabled) with
 * least-privilege rules between them, as standalone rule resources that each
 * carry a description. See matrix.ts for the default rules.
 */
import { Construct } from "constructs";
import { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AwsContext } from "../core/aws-context";
import { resolveProps } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import type { PortSpec, Protocol } from "../core/ports";
import { named } from "../core/tags";
import { assertNetwork, type IMlNetwork } from "../network";
import { buildRuleMatrix, type RuleSpec } from "./matrix";
import { groupsOf, securityGroupsConfigSchema, validateSecurityGroups, type ResolvedSecurityGroupsConfig, type SecurityGroupName } from "./schema";

export {
  SECURITY_GROUP_NAMES,
  DEFAULT_DATA_PORTS,
  DEFAULT_SERVING_PORTS,
  DESCRIPTION_CHARS,
  groupsOf,
  validateSecurityGroups,
  securityGroupsConfigSchema,
} from "./schema";
export type { SecurityGroupName, ResolvedSecurityGroupsConfig } from "./schema";
export { buildRuleMatrix, GROUP_TIERS, type RuleSpec, type RulePeer } from "./matrix";

/** Traffic between two groups: becomes the sender's egress rule and the receiver's ingress rule. */
export interface FlowRule {
  readonly from: SecurityGroupName;
  readonly to: SecurityGroupName;
  /** Port or range; omitted only with protocol `all` (and `icmp`, for every ICMP message). @default - none: required for tcp and udp */
  readonly port?: PortSpec;
  /** IP protocol of the flow. @default "tcp" */
  readonly protocol?: Protocol;
  /** Why the flow exists; lands in both rules' descriptions. */
  readonly description: string;
}

/** Traffic between a group and a CIDR or prefix list. */
export interface EdgeRule {
  readonly group: SecurityGroupName;
  readonly direction: "ingress" | "egress";
  /** Port or range; omitted only with protocol `all` (and `icmp`, for every ICMP message). @default - none: required for tcp and udp */
  readonly port?: PortSpec;
  /** IP protocol of the rule. @default "tcp" */
  readonly protocol?: Protocol;
  /** IPv4 or IPv6 CIDR. A /0 ingress needs the group in `allowIngressFromAnywhere`. @default - none: give this or prefixListId */
  readonly cidr?: string;
  /** A managed or customer prefix list id (`pl-...`). @default - none: give this or cidr */
  readonly prefixListId?: string;
  readonly description: string;
}

/** Everything but the network: the part an environment configures. */
export interface SegmentedSecurityGroupsConfig {
  /** Who may open notebooks over HTTPS. @default {} */
  readonly notebook?: {
    /** Client ranges. @default - the VPC CIDRs, when clientGroups is empty too; none otherwise */
    readonly clientCidrs?: string[];
    /** Client security groups. @default - none */
    readonly clientGroups?: SecurityGroupName[];
  };
  /** Model serving: its ports and the callers allowed to reach them. @default {} */
  readonly inference?: {
    /** Ports the serving containers listen on (DEFAULT_SERVING_PORTS; SageMaker uses 8080). @default [8080] */
    readonly servingPorts?: PortSpec[];
    /** Groups that may call the serving ports. @default [] */
    readonly callerGroups?: SecurityGroupName[];
    /** Ranges that may call the serving ports. @default [] */
    readonly callerCidrs?: string[];
  };
  /** Data stores: their ports and the groups that may use them. @default {} */
  readonly data?: {
    /** Data ports (DEFAULT_DATA_PORTS): NFS (EFS), MySQL, PostgreSQL, Redis. @default [2049, 3306, 5432, 6379] */
    readonly ports?: PortSpec[];
    /** Groups that may use the data ports; `[]` cuts data access. @default ["notebook", "training"] */
    readonly consumers?: SecurityGroupName[];
  };
  /** Create the `efa` group for an EFA cluster. @default false */
  readonly efa?: boolean;
  /** Groups allowed to reach the internet (through NAT) on `internetEgressPorts`. @default [] */
  readonly internetEgress?: SecurityGroupName[];
  /** Ports for internet egress. @default [443] */
  readonly internetEgressPorts?: number[];
  /** Groups that may take ingress from 0.0.0.0/0 or ::/0: the explicit opt-in. @default [] */
  readonly allowIngressFromAnywhere?: SecurityGroupName[];
  /** More rules: flows between groups, or edges to CIDRs and prefix lists. @default [] */
  readonly extraRules?: (FlowRule | EdgeRule)[];
  /** Prefix-list ids of S3 and DynamoDB. @default {} */
  readonly prefixListIds?: {
    /** Prefix list of com.amazonaws.<region>.s3. @default - looked up by name in the provider's region */
    readonly s3?: string;
    /** Prefix list of com.amazonaws.<region>.dynamodb. @default - looked up by name in the provider's region */
    readonly dynamodb?: string;
  };
}

export interface SegmentedSecurityGroupsProps extends SegmentedSecurityGroupsConfig {
  readonly network: IMlNetwork;
  /** Extra tags on every group and rule. @default - none */
  readonly tags?: Record<string, string>;
}

const GROUP_DESCRIPTIONS: Readonly<Record<SecurityGroupName, string>> = {
  notebook: "ML notebooks and IDEs: HTTPS in from clients, AWS APIs and data out",
  training: "Training jobs and nodes: all traffic within the group, AWS APIs and data out",
  inference: "Model serving: serving ports from configured callers only, AWS APIs out",
  data: "Databases, feature stores and file systems: data ports from consumers only, no egress",
  vpcEndpoints: "Interface VPC endpoints: HTTPS from ML workloads only, no egress",
  efa: "EFA cluster: all traffic to and from itself only, HTTPS to S3 and AWS APIs",
};

/** The groups that always exist. */
export type CoreGroupName = Exclude<SecurityGroupName, "efa">;

/** One value per group that exists: `efa` is there exactly when the props turned it on. */
export type PerGroup<T, Efa extends boolean | undefined> = Readonly<Record<CoreGroupName, T>> & (Efa extends true ? { readonly efa: T } : { readonly efa?: T });

export class SegmentedSecurityGroups<const P extends SegmentedSecurityGroupsProps = SegmentedSecurityGroupsProps> extends Construct {
  /** Security groups by function. */
  readonly groups: PerGroup<SecurityGroup, P["efa"]>;
  /** Security group ids by function: no `!` needed; `efa` is typed present when `efa: true` was passed. */
  readonly ids: PerGroup<string, P["efa"]>;
  /** The rules, as specified (before synthesis). */
  readonly rules: readonly RuleSpec[];
  readonly config: ResolvedSecurityGroupsConfig;

  constructor(scope: Construct, id: string, props: P) {
    super(scope, id);
    const { network, tags: extraTags, ...rest } = props;
    assertNetwork(network, `SegmentedSecurityGroups "${this.node.path}"`);
    const cfg = resolveProps("SegmentedSecurityGroups", this.node.path, securityGroupsConfigSchema, rest, (c) => [
      ...validateSecurityGroups(c),
      ...tagIssues(extraTags, "tags", ["Name"]),
    ]);
    this.config = cfg;
    const tags = extraTags ?? {};

    const groups: Partial<Record<SecurityGroupName, SecurityGroup>> = {};
    const ids: Partial<Record<SecurityGroupName, string>> = {};
    for (const name of groupsOf(cfg)) {
      const group = new SecurityGroup(this, name, {
        name: `${network.name}-${name}`,
        description: GROUP_DESCRIPTIONS[name],
        vpcId: network.vpcId,
        tags: named(`${network.name}-${name}`, tags),
        // Rules live in standalone resources; revoke them on delete so groups that reference each other can go.
        revokeRulesOnDelete: true,
      });
      groups[name] = group;
      ids[name] = group.id;
    }
    // Every core group exists (groupsOf), and efa exactly when enabled.
    this.groups = groups as PerGroup<SecurityGroup, P["efa"]>;
    this.ids = ids as PerGroup<string, P["efa"]>;

    this.rules = buildRuleMatrix(cfg, network.vpcCidrs);
    const prefixLists = this.prefixListIds(cfg);
    for (const r of this.rules) {
      const peer =
        r.peer.kind === "group"
          ? { referencedSecurityGroupId: ids[r.peer.name]! }
          : r.peer.kind === "cidr"
            ? r.peer.cidr.includes(":")
              ? { cidrIpv6: r.peer.cidr }
              : { cidrIpv4: r.peer.cidr }
            : r.peer.kind === "prefixList"
              ? { prefixListId: prefixLists[r.peer.service]() }
              : { prefixListId: r.peer.id };
      const ports = r.range.protocol === "all" ? { ipProtocol: "-1" } : { ipProtocol: r.range.protocol, fromPort: r.range.from, toPort: r.range.to };
      const ruleProps = {
        securityGroupId: ids[r.group]!,
        description: r.description,
        ...ports,
        ...peer,
        tags: named(`${network.name}-${r.id}`, tags),
      };
      if (r.direction === "ingress") new VpcSecurityGroupIngressRule(this, r.id, ruleProps);
      else new VpcSecurityGroupEgressRule(this, r.id, ruleProps);
    }
  }

  /** Prefix-list ids, given or looked up lazily (a data source only when a rule needs it). */
  private prefixListIds(cfg: ResolvedSecurityGroupsConfig): Record<"s3" | "dynamodb", () => string> {
    const cache: Partial<Record<"s3" | "dynamodb", string>> = {};
    const lookup = (service: "s3" | "dynamodb") => () => {
      const given = cfg.prefixListIds[service];
      if (given) return given;
      if (!cache[service]) {
        const region = AwsContext.of(this).region;
        cache[service] = new DataAwsPrefixList(this, `${service}-prefix-list`, {
          name: `com.amazonaws.${region}.${service}`,
        }).id;
      }
      return cache[service];
    };
    return { s3: lookup("s3"), dynamodb: lookup("dynamodb") };
  }
}
