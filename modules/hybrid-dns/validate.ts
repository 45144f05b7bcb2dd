/**
 * Checks of a hybrid DNS configuration against the network and the
 * on-premises ranges, without building anything: the environment loader runs
 * them on the planned network, the construct on the real one.
 */
import { IPv4 } from "ip-num";
import { formatPath, type ConfigIssue } from "../core/errors";
import { nameIssues, type NameRuleId } from "../core/aws-limits";
import { checkCidr, overlaps, parseCidr, within } from "../core/cidr";
import { EPHEMERAL_PORTS, describeRange, type PortRange } from "../core/ports";
import { selectSubnets, type IMlNetwork, type SelectedSubnets } from "../network";
import { naclDecision, type NaclQuery, type NaclRuleSpec } from "../network-acls";
import { domainProblem, forwardedDomainConflict, isIpv4, normalizeDomain } from "./domains";
import type { ResolvedHybridDnsConfig } from "./schema";

type Add = (path: string, value: unknown, message: string, fix: string) => void;

/** What validateHybridDns may also check. */
export interface HybridDnsValidationOptions {
  /**
   * The NACL rules of the network (TierNetworkAcls.rules, or planNetworkAcls
   * for a planned network). When given, every leg of every DNS flow is
   * evaluated against the endpoints' tier NACL.
   */
  readonly naclRules?: readonly NaclRuleSpec[];
}

/** Rule names and forward rule keys: short slugs, used in construct ids and AWS names. */
const RULE_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** The subnets the endpoints use: one per AZ of the tier, in the configured AZs. */
export function resolverSubnets(cfg: ResolvedHybridDnsConfig, network: IMlNetwork): SelectedSubnets {
  return selectSubnets(network, { tiers: [cfg.tier], availabilityZones: cfg.availabilityZones, onePerAz: true });
}

/** True when the configuration creates Resolver endpoints (inbound, or outbound for forwarding rules). */
export function createsEndpoints(cfg: ResolvedHybridDnsConfig): boolean {
  return cfg.inbound.enabled || Object.keys(cfg.forwardRules).length > 0;
}

/** Distinct forward targets of all rules, each with the first rule that names it, in rule order. */
export function forwardTargets(cfg: ResolvedHybridDnsConfig): { ip: string; port: number; rule: string }[] {
  const seen = new Map<string, { ip: string; port: number; rule: string }>();
  for (const [rule, r] of Object.entries(cfg.forwardRules)) {
    for (const t of r.targets) if (!seen.has(`${t.ip}:${t.port}`)) seen.set(`${t.ip}:${t.port}`, { ip: t.ip, port: t.port, rule });
  }
  return [...seen.values()];
}

/**
 * Every problem of a hybrid DNS configuration: placement (two AZs with a
 * subnet of the tier), on-premises ranges, forwarding rules (names, domains,
 * targets inside the on-premises ranges), the private zone and its records,
 * the AWS names built from them, and with `options.naclRules` whether the
 * tier's NACL lets every DNS flow through both ways.
 */
export function validateHybridDns(
  cfg: ResolvedHybridDnsConfig,
  network: IMlNetwork,
  onPremisesCidrs: readonly string[],
  options: HybridDnsValidationOptions = {},
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add: Add = (path, value, message, fix) => issues.push({ path, value, message, fix });
  if (!cfg.inbound.enabled && Object.keys(cfg.forwardRules).length === 0 && !cfg.privateZone) {
    add(
      "",
      {},
      "creates nothing: the inbound endpoint is disabled, there is no forwarding rule and no private zone",
      "enable inbound, or add forwardRules or privateZone",
    );
  }
  if (!network.dnsSupport) {
    // Without DNS support the Amazon-provided DNS server of the VPC (Resolver) does not answer (EC2 API ModifyVpcAttribute, EnableDnsSupport).
    add(
      "network.dnsSupport",
      false,
      "is off: Route 53 Resolver, which every part of this module works through, does not answer in the VPC",
      "turn on DNS support in the VPC",
    );
  }
  placementIssues(cfg, network, add);
  onPremisesIssues(cfg, network, onPremisesCidrs, add);
  forwardRuleIssues(cfg, network, onPremisesCidrs, add);
  privateZoneIssues(cfg, network, add);
  issues.push(...awsNameIssues(cfg, network.name));
  if (options.naclRules && issues.length === 0) issues.push(...naclIssues(cfg, network, onPremisesCidrs, options.naclRules));
  return issues;
}

/** Two or more AZs with a subnet of the tier, and fixed inbound addresses inside those subnets. */
function placementIssues(cfg: ResolvedHybridDnsConfig, network: IMlNetwork, add: Add): void {
  const tierAzs = selectSubnets(network, { tiers: [cfg.tier] }).availabilityZones;
  cfg.availabilityZones?.forEach((az, i) => {
    if (!tierAzs.includes(az))
      add(
        `availabilityZones[${i}]`,
        az,
        `has no ${cfg.tier} subnet`,
        tierAzs.length ? `use AZs of the ${cfg.tier} tier: ${tierAzs.join(", ")}` : `add a ${cfg.tier} tier`,
      );
  });
  const selected = resolverSubnets(cfg, network);
  if (createsEndpoints(cfg) && selected.availabilityZones.length < 2) {
    // Route 53 requires two or more IP addresses per endpoint and recommends them in different AZs ("High availability
    // for Resolver endpoints", docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-choose-vpc.html): this
    // module requires the two AZs, so one zone's outage leaves DNS answering.
    const azs = selected.availabilityZones;
    add(
      cfg.availabilityZones ? "availabilityZones" : "tier",
      cfg.availabilityZones ?? cfg.tier,
      `gives the Resolver endpoints ${azs.length} AZ${azs.length === 1 ? "" : "s"} with a ${cfg.tier} subnet${azs.length ? ` (${azs.join(", ")})` : ""}; this module places them in two AZs or more (Route 53 requires two IP addresses and recommends two AZs)`,
      tierAzs.length >= 2 ? `list two or more of ${tierAzs.join(", ")}` : `give the ${cfg.tier} tier subnets in two AZs, or choose another tier`,
    );
  }
  const fixed = cfg.inbound.ipAddresses ?? {};
  if (!cfg.inbound.enabled && Object.keys(fixed).length > 0) {
    add("inbound.ipAddresses", fixed, "is set while inbound.enabled is false", "remove it, or enable the inbound endpoint");
    return;
  }
  for (const [az, ip] of Object.entries(fixed)) {
    const path = formatPath(["inbound", "ipAddresses", az]);
    const subnet = selected.subnets.find((s) => s.availabilityZone === az);
    if (!subnet) {
      add(path, ip, `names an AZ the endpoints do not use`, `use one of ${selected.availabilityZones.join(", ") || "the endpoints' AZs"}`);
      continue;
    }
    if (!isIpv4(ip)) add(path, ip, "is not an IPv4 address", `give a free address of the ${cfg.tier} subnet in ${az}`);
    else if (checkCidr(subnet.cidr).ok) {
      const problem = subnetAddressProblem(ip, subnet.cidr);
      if (problem) add(path, ip, problem, `give a free address of ${subnet.cidr} from its fifth to its second-to-last`);
    }
  }
}

/** Why an address cannot be an endpoint address in a subnet, or undefined. */
function subnetAddressProblem(ip: string, cidr: string): string | undefined {
  if (!within(`${ip}/32`, cidr)) return `is outside the subnet ${cidr}`;
  // EC2 API Reference, CreateSubnet (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html):
  // AWS reserves the first four and the last IPv4 address of every subnet.
  const range = parseCidr(cidr);
  const value = IPv4.fromString(ip).getValue();
  if (value - range.getFirst().getValue() < 4n || value === range.getLast().getValue()) return `is one of the five addresses AWS reserves in ${cidr}`;
  return undefined;
}

/** Valid on-premises ranges, clear of the VPC, present whenever something admits or targets them. */
function onPremisesIssues(cfg: ResolvedHybridDnsConfig, network: IMlNetwork, onPremisesCidrs: readonly string[], add: Add): void {
  if (onPremisesCidrs.length === 0 && createsEndpoints(cfg)) {
    add(
      "onPremisesCidrs",
      [],
      "is empty: the inbound endpoint admits DNS only from on-premises ranges, and forward targets must lie inside them",
      'declare the on-premises ranges, e.g. ["172.16.0.0/16"]',
    );
  }
  onPremisesCidrs.forEach((cidr, i) => {
    const c = checkCidr(cidr);
    if (!c.ok) {
      add(`onPremisesCidrs[${i}]`, cidr, c.reason, 'use a network in CIDR notation, e.g. "172.16.0.0/16"');
      return;
    }
    const vpc = network.vpcCidrs.find((v) => checkCidr(v).ok && overlaps(v, cidr));
    if (vpc) add(`onPremisesCidrs[${i}]`, cidr, `overlaps the VPC CIDR ${vpc}`, "declare on-premises ranges that do not overlap the VPC");
  });
}

/** Forwarding rules: slug names, valid and distinct domains Resolver does not answer itself, on-premises targets. */
function forwardRuleIssues(cfg: ResolvedHybridDnsConfig, network: IMlNetwork, onPremisesCidrs: readonly string[], add: Add): void {
  const domains = new Map<string, string>();
  const onPrem = onPremisesCidrs.filter((c) => checkCidr(c).ok);
  for (const [name, rule] of Object.entries(cfg.forwardRules)) {
    const base = formatPath(["forwardRules", name]);
    if (!RULE_NAME.test(name)) add(base, name, "is not a short lower-case name", 'use a name such as "corp" or "datacenter-ad"');
    const domain = normalizeDomain(rule.domain);
    const problem = domain === "" ? undefined : domainProblem(domain);
    const conflict = problem ? undefined : forwardedDomainConflict(domain);
    if (problem) add(`${base}.domain`, rule.domain, problem, 'use the on-premises domain, e.g. "corp.example.com"');
    else if (conflict) add(`${base}.domain`, rule.domain, conflict, "forward only the on-premises domains themselves, e.g. corp.example.com");
    else if (domains.has(domain)) {
      // One rule per domain: Resolver picks the most specific rule for a query, so two rules for one name cannot both apply.
      add(`${base}.domain`, rule.domain, `is already forwarded by rule "${domains.get(domain)}"`, "merge the targets into that rule");
    } else domains.set(domain, name);
    if (rule.targets.length === 0)
      add(`${base}.targets`, [], "is empty: a forwarding rule needs at least one DNS server", 'add the on-premises DNS servers, e.g. [{ ip: "172.16.0.10" }]');
    const seen = new Set<string>();
    rule.targets.forEach((t, i) => {
      const path = `${base}.targets[${i}]`;
      if (seen.has(`${t.ip}:${t.port}`)) add(path, t, "repeats an earlier target of this rule", "list each DNS server once");
      seen.add(`${t.ip}:${t.port}`);
      // Route 53 API Reference, TargetAddress: Port 0-65535; port 0 is no DNS server's port, so 1-65535.
      if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535)
        add(`${path}.port`, t.port, "is not a port (1-65535)", "use 53, or the port the DNS server listens on");
      if (!isIpv4(t.ip)) {
        add(`${path}.ip`, t.ip, "is not an IPv4 address", "give the DNS server's address, e.g. 172.16.0.10");
        return;
      }
      const vpc = network.vpcCidrs.find((v) => checkCidr(v).ok && within(`${t.ip}/32`, v));
      if (vpc) add(`${path}.ip`, t.ip, `is inside the VPC (${vpc}); forward targets are DNS servers on-premises`, "give an on-premises DNS server's address");
      else if (!onPrem.some((c) => within(`${t.ip}/32`, c)))
        add(
          `${path}.ip`,
          t.ip,
          `is outside the on-premises ranges (${onPrem.join(", ") || "none declared"}); queries would leave the hybrid path`,
          "give an on-premises DNS server's address, or declare its range in onPremisesCidrs",
        );
    });
  }
}

/** The private zone: a valid name the forwarding rules do not take over, records of valid names and values. */
function privateZoneIssues(cfg: ResolvedHybridDnsConfig, network: IMlNetwork, add: Add): void {
  const zone = cfg.privateZone;
  if (!zone) return;
  if (!network.dnsHostnames || !network.dnsSupport) {
    // "Considerations when working with a private hosted zone" (docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html):
    // private hosted zones need enableDnsHostnames and enableDnsSupport set to true.
    add("privateZone", zone.name, "needs DNS hostnames and DNS support on in the VPC", "turn on enableDnsHostnames and enableDnsSupport (MlVpc always does)");
  }
  const name = normalizeDomain(zone.name);
  const problem = name === "" ? "is the DNS root" : domainProblem(name);
  if (problem) {
    add("privateZone.name", zone.name, problem, 'use a domain you own, e.g. "ml.internal.example.com"');
    return;
  }
  for (const [rule, r] of Object.entries(cfg.forwardRules)) {
    if (normalizeDomain(r.domain) === name) {
      // A forwarding rule for a private zone's own name overrides the zone's autodefined rule
      // ("Domain names that VPC Resolver creates autodefined system rules for", docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-overview-forward-vpc-to-network-autodefined-rules.html).
      add(
        "privateZone.name",
        zone.name,
        `is also forwarded on-premises by rule "${rule}", which takes precedence: the zone would never answer`,
        "name the zone below the forwarded domain (e.g. ml.<domain>), or drop the rule",
      );
    }
  }
  const seen = new Map<string, string>();
  for (const [label, record] of Object.entries(zone.records)) {
    const path = formatPath(["privateZone", "records", label]);
    const relative = normalizeDomain(label);
    const fqdn = `${relative}.${name}`;
    const labelProblem = relative === "" || relative === "@" ? "names the zone apex, which this module does not manage" : domainProblem(relative);
    const fqdnProblem = labelProblem ? undefined : domainProblem(fqdn);
    const fix = 'use a name relative to the zone, e.g. "registry"';
    if (labelProblem) add(path, label, labelProblem, fix);
    else if (fqdnProblem) add(path, label, `makes ${fqdn}, which ${fqdnProblem}`, fix);
    else if (seen.has(relative)) add(path, label, `names the same record as "${seen.get(relative)}" (names are not case-sensitive)`, "keep one of the two");
    seen.set(relative, label);
    recordValueIssues(path, record, add);
  }
}

function recordValueIssues(path: string, record: { type: "A" | "CNAME"; values: string[]; ttl: number }, add: Add): void {
  // RFC 2181 section 8: a TTL is 0 to 2147483647 seconds (the Route 53 bound was not found; this is the protocol's).
  if (!Number.isInteger(record.ttl) || record.ttl < 0 || record.ttl > 2147483647)
    add(`${path}.ttl`, record.ttl, "is not a TTL in seconds (0-2147483647)", "use 300, or the seconds resolvers may cache it");
  if (record.type === "CNAME") {
    // Route 53 API Reference, ResourceRecord: more than one value for every type except CNAME and SOA.
    if (record.values.length !== 1) add(`${path}.values`, record.values, "must hold exactly one name for a CNAME record", "give the one name it points to");
    record.values.forEach((v, i) => {
      const target = normalizeDomain(v);
      const problem = target === "" ? "is the DNS root" : domainProblem(target);
      if (problem) add(`${path}.values[${i}]`, v, problem, 'give the name this record points to, e.g. "registry.corp.example.com"');
    });
    return;
  }
  if (record.values.length === 0) add(`${path}.values`, [], "is empty", 'give the IPv4 addresses, e.g. ["10.0.1.10"]');
  const seen = new Set<string>();
  record.values.forEach((v, i) => {
    if (!isIpv4(v))
      add(`${path}.values[${i}]`, v, "is not an IPv4 address, which an A record holds", "give an address such as 10.0.1.10, or use a CNAME record for a name");
    else if (seen.has(v)) add(`${path}.values[${i}]`, v, "repeats an earlier value", "list each address once");
    seen.add(v);
  });
}

/** Names of the endpoints, rules and security groups built from the network's and the rules' names. */
function awsNameIssues(cfg: ResolvedHybridDnsConfig, networkName: string): ConfigIssue[] {
  const names: { name: string; rule: NameRuleId; path: string; value: unknown; fix: string }[] = [];
  const fromNetwork = (name: string, rule: NameRuleId) => names.push({ name, rule, path: "", value: networkName, fix: "shorten the network's name" });
  if (cfg.inbound.enabled) {
    fromNetwork(`${networkName}-dns-inbound`, "route53ResolverName");
    fromNetwork(`${networkName}-dns-inbound`, "securityGroup");
  }
  if (Object.keys(cfg.forwardRules).length > 0) {
    fromNetwork(`${networkName}-dns-outbound`, "route53ResolverName");
    fromNetwork(`${networkName}-dns-outbound`, "securityGroup");
  }
  for (const rule of Object.keys(cfg.forwardRules).filter((r) => RULE_NAME.test(r))) {
    names.push({
      name: forwardRuleName(networkName, rule),
      rule: "route53ResolverName",
      path: formatPath(["forwardRules", rule]),
      value: rule,
      fix: "shorten the rule name",
    });
  }
  return nameIssues(names);
}

/** The AWS name of a forwarding rule (and of its association). */
export function forwardRuleName(networkName: string, rule: string): string {
  return `${networkName}-forward-${rule}`;
}

/**
 * Source ports of DNS clients: on-premises resolvers querying the inbound
 * endpoint, and the outbound endpoint querying on-premises servers. AWS does
 * not document the outbound endpoint's range, and resolvers randomize source
 * ports (RFC 5452), so replies are expected anywhere in 1024-65535.
 */
export const DNS_CLIENT_PORTS = { from: EPHEMERAL_PORTS.from, to: EPHEMERAL_PORTS.to };

/** One leg of a DNS flow through the endpoints' tier NACL. */
export interface HybridDnsNaclLeg {
  /** What crosses the NACL: `query in from 172.16.0.0/16 to the inbound endpoint (udp 53)`. */
  readonly leg: string;
  readonly query: NaclQuery;
}

/**
 * Every NACL leg of the DNS traffic the endpoints carry, for the tier they sit
 * in. NACLs are stateless: a query and its reply cross the NACL once each.
 * Inbound: queries from each on-premises range to port 53, replies back to
 * the resolver's source port. Outbound: queries to each target's port, replies
 * back to the endpoint's source port. Both UDP and TCP (large answers).
 */
export function hybridDnsNaclLegs(cfg: ResolvedHybridDnsConfig, onPremisesCidrs: readonly string[]): HybridDnsNaclLeg[] {
  const legs: HybridDnsNaclLeg[] = [];
  const tier = cfg.tier;
  const leg = (leg: string, egress: boolean, range: PortRange, peerCidr: string) => legs.push({ leg, query: { tier, egress, range, peerCidr } });
  for (const protocol of ["udp", "tcp"] as const) {
    const reply: PortRange = { protocol, ...DNS_CLIENT_PORTS };
    if (cfg.inbound.enabled) {
      for (const cidr of onPremisesCidrs.filter((c) => checkCidr(c).ok)) {
        const query: PortRange = { protocol, from: 53, to: 53 };
        leg(`query in from ${cidr} to the inbound endpoint (${describeRange(query)})`, false, query, cidr);
        leg(`reply out from the inbound endpoint to ${cidr} (${describeRange(reply)})`, true, reply, cidr);
      }
    }
    if (Object.keys(cfg.forwardRules).length > 0) {
      for (const t of forwardTargets(cfg).filter((x) => isIpv4(x.ip))) {
        const query: PortRange = { protocol, from: t.port, to: t.port };
        leg(`query out from the outbound endpoint to ${t.ip} (${describeRange(query)})`, true, query, `${t.ip}/32`);
        leg(`reply in from ${t.ip} to the outbound endpoint (${describeRange(reply)})`, false, reply, `${t.ip}/32`);
      }
    }
  }
  return legs;
}

/** Legs the tier's NACL blocks, when the tier has NACL rules at all. */
function naclIssues(cfg: ResolvedHybridDnsConfig, network: IMlNetwork, onPremisesCidrs: readonly string[], rules: readonly NaclRuleSpec[]): ConfigIssue[] {
  if (!rules.some((r) => r.tier === cfg.tier) || resolverSubnets(cfg, network).subnets.length === 0) return [];
  return hybridDnsNaclLegs(cfg, onPremisesCidrs).flatMap(({ leg, query }) => {
    const decision = naclDecision(rules, query);
    if (decision.action === "allow") return [];
    return [
      {
        path: "tier",
        value: cfg.tier,
        message: `is a tier whose NACL blocks the ${leg}, decided by ${decision.rule ? `rule ${decision.rule.ruleNumber} (${decision.rule.id})` : "the default deny"}`,
        fix: `add "${cfg.tier}" to the NACLs' onPremisesTiers (networkAcls.onPremisesTiers in an environment), or place the endpoints in a tier that admits on-premises ranges`,
      },
    ];
  });
}
