/**
 * HybridDns: names resolve both ways between the VPC and the data centre.
 *
 * An inbound Route 53 Resolver endpoint (one address per AZ of a tier, two AZs
 * at least) that on-premises DNS servers forward VPC names to, behind a
 * security group that admits DNS (TCP and UDP 53) from the on-premises ranges
 * only; an outbound endpoint with one forwarding rule per on-premises domain,
 * each associated with the VPC, behind a security group that lets DNS out to
 * the configured DNS servers only; a private hosted zone for the platform's
 * own names (model registry, feature store) associated with the VPC.
 *
 * Construct ids come from names (rule, record, on-premises range, target), so
 * adding a rule, a record or a range adds resources and changes none; adding
 * an AZ adds one address to each endpoint (updated in place).
 */
import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53ResolverEndpoint } from "@cdktf/provider-aws/lib/route53-resolver-endpoint";
import { Route53ResolverRule } from "@cdktf/provider-aws/lib/route53-resolver-rule";
import { Route53ResolverRuleAssociation } from "@cdktf/provider-aws/lib/route53-resolver-rule-association";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { resolveProps } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { cidrId, named } from "../core/tags";
import { assertNetwork, type IMlNetwork, type SubnetTier } from "../network";
import { normalizeDomain } from "./domains";
import { DNS_PORT, hybridDnsConfigSchema, type ResolvedHybridDnsConfig } from "./schema";
import { forwardRuleName, forwardTargets, resolverSubnets, validateHybridDns } from "./validate";

export { hybridDnsConfigSchema, DNS_PORT, type ResolvedHybridDnsConfig } from "./schema";
export {
  validateHybridDns,
  hybridDnsNaclLegs,
  resolverSubnets,
  forwardTargets,
  DNS_CLIENT_PORTS,
  type HybridDnsValidationOptions,
  type HybridDnsNaclLeg,
} from "./validate";
export { normalizeDomain, domainProblem, forwardedDomainConflict, isWithinDomain, RESOLVED_IN_AWS, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from "./domains";

/** The inbound endpoint: on-premises DNS servers forward queries for VPC and private-zone names to its addresses. */
export interface HybridDnsInbound {
  /** Create the inbound endpoint. @default true */
  readonly enabled?: boolean;
  /**
   * Fixed endpoint addresses by AZ (`{ "us-east-1a": "10.0.32.10" }`), so the
   * addresses on-premises forwarders point at survive a replacement. Each must
   * be a free address of the tier's subnet in that AZ.
   * @default - AWS picks a free address in each subnet
   */
  readonly ipAddresses?: Record<string, string>;
}

/** One on-premises DNS server a forwarding rule sends queries to. */
export interface HybridDnsTarget {
  /** IPv4 address, inside the on-premises ranges. */
  readonly ip: string;
  /** Port the server listens on. @default 53 */
  readonly port?: number;
}

/** Queries for a domain (and everything below it) go to on-premises DNS servers. */
export interface HybridDnsForwardRule {
  /** The on-premises domain, e.g. `corp.example.com`. */
  readonly domain: string;
  /** The DNS servers, at least one; list two for redundancy. */
  readonly targets: HybridDnsTarget[];
}

/** One record of the private zone. */
export interface HybridDnsRecord {
  /** `A` (IPv4 addresses) or `CNAME` (one name). */
  readonly type: "A" | "CNAME";
  /** IPv4 addresses for `A`; exactly one domain name for `CNAME`. */
  readonly values: string[];
  /** Seconds resolvers may cache the answer. @default 300 */
  readonly ttl?: number;
}

/** A private hosted zone for the platform's own names, associated with the VPC. */
export interface HybridDnsPrivateZone {
  /** Zone name, e.g. `ml.internal.example.com`. Not a forwarded domain itself (a forwarding rule would take it over). */
  readonly name: string;
  /** Records by name relative to the zone (`registry`, `feature-store`). @default {} */
  readonly records?: Record<string, HybridDnsRecord>;
}

/** Everything but the network and the on-premises ranges: what an environment configures. */
export interface HybridDnsConfig {
  /**
   * Tier whose subnets hold the endpoint addresses, one per AZ. Its NACL must
   * admit the on-premises ranges (TierNetworkAcls `onPremisesTiers`).
   * @default "private"
   */
  readonly tier?: SubnetTier;
  /** AZs for the endpoint addresses, two at least. @default - every AZ where the tier has a subnet */
  readonly availabilityZones?: string[];
  /** The inbound endpoint. @default {} */
  readonly inbound?: HybridDnsInbound;
  /** Forwarding rules by name (`corp`, `datacenter-ad`); any rule creates the outbound endpoint. @default {} */
  readonly forwardRules?: Record<string, HybridDnsForwardRule>;
  /** Private hosted zone for internal ML names. @default - none */
  readonly privateZone?: HybridDnsPrivateZone;
}

export interface HybridDnsProps extends HybridDnsConfig {
  readonly network: IMlNetwork;
  /** On-premises ranges: the only sources the inbound endpoint admits, and where forward targets must lie. */
  readonly onPremisesCidrs: string[];
  /** Extra tags on every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/** The protocols of both endpoints: plain DNS over UDP and TCP port 53 (Route 53 API Reference, TargetAddress, Protocol: Do53, DoH, DoH-FIPS). */
const PROTOCOLS = ["Do53"];
const DNS_PROTOCOLS = ["udp", "tcp"] as const;

export class HybridDns extends Construct {
  readonly config: ResolvedHybridDnsConfig;
  readonly inboundEndpoint?: Route53ResolverEndpoint;
  readonly inboundSecurityGroup?: SecurityGroup;
  readonly outboundEndpoint?: Route53ResolverEndpoint;
  readonly outboundSecurityGroup?: SecurityGroup;
  /** Forwarding rules by name. */
  readonly forwardRules: Readonly<Record<string, Route53ResolverRule>>;
  readonly privateZone?: Route53Zone;
  /** Private-zone records by their name relative to the zone. */
  readonly records: Readonly<Record<string, Route53Record>>;

  constructor(scope: Construct, id: string, props: HybridDnsProps) {
    super(scope, id);
    const { network, onPremisesCidrs, tags: extraTags, ...rest } = props;
    assertNetwork(network, `HybridDns "${this.node.path}"`);
    const onPrem: readonly string[] = Array.isArray(onPremisesCidrs) ? onPremisesCidrs : [];
    const cfg = resolveProps("HybridDns", this.node.path, hybridDnsConfigSchema, rest, (c) => [
      ...(Array.isArray(onPremisesCidrs)
        ? []
        : [{ path: "onPremisesCidrs", value: onPremisesCidrs, message: "is not a list of CIDRs", fix: 'give the on-premises ranges, e.g. ["172.16.0.0/16"]' }]),
      // A value that is not a list is reported once, not again as an empty list.
      ...validateHybridDns(c, network, onPrem).filter((i) => Array.isArray(onPremisesCidrs) || i.path !== "onPremisesCidrs"),
      ...tagIssues(extraTags, "tags", ["Name"]),
    ]);
    this.config = cfg;
    const tags = extraTags ?? {};
    const subnetIds = resolverSubnets(cfg, network).subnets.map((s) => ({ id: s.id, az: s.availabilityZone }));
    if (cfg.inbound.enabled) {
      this.inboundSecurityGroup = this.securityGroup(
        network,
        "inbound",
        "Route 53 Resolver inbound endpoint: DNS (TCP and UDP 53) from on-premises only",
        tags,
      );
      this.inboundEndpoint = this.inbound(cfg, network, onPrem, subnetIds, this.inboundSecurityGroup, tags);
    }
    if (Object.keys(cfg.forwardRules).length > 0) {
      this.outboundSecurityGroup = this.securityGroup(
        network,
        "outbound",
        "Route 53 Resolver outbound endpoint: DNS out to the on-premises DNS servers only",
        tags,
      );
      this.outboundEndpoint = this.outbound(cfg, network, subnetIds, this.outboundSecurityGroup, tags);
    }
    this.forwardRules = this.outboundEndpoint ? this.rules(cfg, network, this.outboundEndpoint, tags) : {};
    const zone = cfg.privateZone && this.zone(cfg.privateZone, network, tags);
    this.privateZone = zone?.zone;
    this.records = zone?.records ?? {};
  }

  /** The inbound endpoint, and its security group's rules: TCP and UDP 53 from each on-premises range. */
  private inbound(
    cfg: ResolvedHybridDnsConfig,
    network: IMlNetwork,
    onPrem: readonly string[],
    subnets: readonly { id: string; az: string }[],
    sg: SecurityGroup,
    tags: Record<string, string>,
  ): Route53ResolverEndpoint {
    for (const cidr of onPrem) {
      for (const protocol of DNS_PROTOCOLS) {
        const ruleId = `inbound-${protocol}-53-from-${cidrId(cidr)}`;
        new VpcSecurityGroupIngressRule(this, ruleId, {
          securityGroupId: sg.id,
          description: `DNS queries (${protocol} 53) from on-premises ${cidr}`,
          ipProtocol: protocol,
          fromPort: DNS_PORT,
          toPort: DNS_PORT,
          cidrIpv4: cidr,
          tags: named(`${network.name}-dns-${ruleId}`, tags),
        });
      }
    }
    return new Route53ResolverEndpoint(this, "inbound", {
      direction: "INBOUND",
      name: `${network.name}-dns-inbound`,
      securityGroupIds: [sg.id],
      ipAddress: subnets.map((s) => ({ subnetId: s.id, ip: cfg.inbound.ipAddresses?.[s.az] })),
      protocols: PROTOCOLS,
      tags: named(`${network.name}-dns-inbound`, tags),
    });
  }

  /** The outbound endpoint, and its security group's rules: TCP and UDP to each target's address and port. */
  private outbound(
    cfg: ResolvedHybridDnsConfig,
    network: IMlNetwork,
    subnets: readonly { id: string; az: string }[],
    sg: SecurityGroup,
    tags: Record<string, string>,
  ): Route53ResolverEndpoint {
    for (const t of forwardTargets(cfg)) {
      for (const protocol of DNS_PROTOCOLS) {
        const ruleId = `outbound-${protocol}-${t.port}-to-${cidrId(`${t.ip}/32`)}`;
        new VpcSecurityGroupEgressRule(this, ruleId, {
          securityGroupId: sg.id,
          description: `DNS queries (${protocol} ${t.port}) to the on-premises DNS server ${t.ip}`,
          ipProtocol: protocol,
          fromPort: t.port,
          toPort: t.port,
          cidrIpv4: `${t.ip}/32`,
          tags: named(`${network.name}-dns-${ruleId}`, tags),
        });
      }
    }
    return new Route53ResolverEndpoint(this, "outbound", {
      direction: "OUTBOUND",
      name: `${network.name}-dns-outbound`,
      securityGroupIds: [sg.id],
      ipAddress: subnets.map((s) => ({ subnetId: s.id })),
      protocols: PROTOCOLS,
      tags: named(`${network.name}-dns-outbound`, tags),
    });
  }

  /** One FORWARD rule per configured rule, through the outbound endpoint, each associated with the VPC. */
  private rules(
    cfg: ResolvedHybridDnsConfig,
    network: IMlNetwork,
    outbound: Route53ResolverEndpoint,
    tags: Record<string, string>,
  ): Record<string, Route53ResolverRule> {
    const rules: Record<string, Route53ResolverRule> = {};
    for (const [name, rule] of Object.entries(cfg.forwardRules)) {
      const awsName = forwardRuleName(network.name, name);
      rules[name] = new Route53ResolverRule(this, `rule-${name}`, {
        name: awsName,
        domainName: normalizeDomain(rule.domain),
        ruleType: "FORWARD",
        resolverEndpointId: outbound.id,
        targetIp: rule.targets.map((t) => ({ ip: t.ip, port: t.port })),
        tags: named(awsName, tags),
      });
      new Route53ResolverRuleAssociation(this, `rule-${name}-vpc`, { name: awsName, resolverRuleId: rules[name].id, vpcId: network.vpcId });
    }
    return rules;
  }

  /** The private hosted zone, associated with the VPC, and its records. */
  private zone(
    cfg: NonNullable<ResolvedHybridDnsConfig["privateZone"]>,
    network: IMlNetwork,
    tags: Record<string, string>,
  ): { zone: Route53Zone; records: Record<string, Route53Record> } {
    const zoneName = normalizeDomain(cfg.name);
    const zone = new Route53Zone(this, "zone", {
      name: zoneName,
      comment: "ML platform names (model registry, feature store), private to the VPC",
      // An inline vpc block makes the zone private; aws_route53_zone_association must not be used beside it.
      vpc: [{ vpcId: network.vpcId }],
      tags: named(`${network.name}-private-zone`, tags),
    });
    const records: Record<string, Route53Record> = {};
    for (const [label, record] of Object.entries(cfg.records)) {
      const relative = normalizeDomain(label);
      // Record names are letters, digits, hyphens and dots (validated); dots become "_" in the construct id.
      records[relative] = new Route53Record(this, `record-${relative.replace(/\./g, "_")}`, {
        zoneId: zone.zoneId,
        name: `${relative}.${zoneName}`,
        type: record.type,
        ttl: record.ttl,
        records: record.type === "CNAME" ? record.values.map(normalizeDomain) : record.values,
      });
    }
    return { zone, records };
  }

  /** The security group of one endpoint; rules are standalone resources, each with a description. */
  private securityGroup(network: IMlNetwork, direction: "inbound" | "outbound", description: string, tags: Record<string, string>): SecurityGroup {
    return new SecurityGroup(this, `${direction}-sg`, {
      name: `${network.name}-dns-${direction}`,
      description,
      vpcId: network.vpcId,
      tags: named(`${network.name}-dns-${direction}`, tags),
      revokeRulesOnDelete: true,
    });
  }
}
