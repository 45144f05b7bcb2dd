/**
 * The compliance rule pack. Each rule reads Terraform JSON and returns the
 * resources that break it. Mapped controls name the matching checks of other
 * tools (checkov, AWS Security Hub CSPM, cdk-nag) where one exists, so that
 * findings line up with the scanners auditors already know.
 */
import { TUNNEL_CRYPTO, UNTAGGABLE_TYPES, describeRange, type PortRange, type RuleId } from "../../modules/core";
import { modelOf } from "./doc-model";
import { groupTiers, internetFrom } from "../reachability";
import { asList, rangeOf, text, TfDocument, type Body, type TfResource } from "../tfjson";
import { HYBRID_RULES } from "./rules-hybrid";

export type Severity = "error" | "warning";

export interface RuleContext {
  /** Environment name (`prod`), from the provider's default `Environment` tag unless given. */
  readonly environment?: string;
  /** Environments whose interface endpoints must span two AZs. Default ["prod"]. */
  readonly multiAzEnvironments: readonly string[];
  /** Tag keys MLN-TAG-1 and MLN-TAG-2 require (PolicyOptions.requiredTags, checked; default REQUIRED_TAGS). */
  readonly requiredTags: readonly string[];
}

export interface RawFinding {
  readonly resource: TfResource;
  readonly message: string;
}

export interface Rule {
  readonly id: RuleId;
  readonly title: string;
  readonly severity: Severity;
  readonly controls: { readonly checkov?: string; readonly securityHub?: string; readonly cdkNag?: string };
  readonly fix: string;
  readonly check: (doc: TfDocument, ctx: RuleContext) => RawFinding[];
}

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);

/** Port range of a security-group or NACL rule (the shared parser); `all` covers every port, ICMP none. */
function portsOf(body: Body): { all: boolean; from: number; to: number; icmp: boolean } {
  const r = rangeOf(body);
  return { all: r.protocol === "all", from: r.from, to: r.to, icmp: r.protocol === "icmp" };
}

const covers = (p: { from: number; to: number; icmp?: boolean }, port: number) => !p.icmp && p.from <= port && port <= p.to;

/** Inline blocks of aws_security_group: { ingress | egress: [{ cidr_blocks, ipv6_cidr_blocks, ... }] }. */
function inlineSgRules(r: TfResource, kind: "ingress" | "egress"): Body[] {
  return asList<Body>(r.body[kind]);
}

function routeTableTier(doc: TfDocument, rt: TfResource): string | undefined {
  const own = TfDocument.tierOf(rt);
  if (own) return own;
  const subnetTiers = doc
    .resources("aws_route_table_association")
    .filter((a) => doc.refersTo(a.body.route_table_id, rt))
    .map((a) => TfDocument.tierOf(doc.deref(a.body.subnet_id)))
    .filter((t): t is string => !!t);
  return subnetTiers[0];
}

const sgRuleResources = (doc: TfDocument, kind: "ingress" | "egress") =>
  doc.resources(kind === "ingress" ? "aws_vpc_security_group_ingress_rule" : "aws_vpc_security_group_egress_rule");

/** Legacy aws_security_group_rule resources, by type. */
const legacySgRules = (doc: TfDocument, kind: "ingress" | "egress") => doc.resources("aws_security_group_rule").filter((r) => r.body.type === kind);

/** Resources of one type for which `bad` holds, each reported with `message` (fixed, or worded per resource). */
function flagged(doc: TfDocument, type: string, bad: (r: TfResource) => boolean, message: string | ((r: TfResource) => string)): RawFinding[] {
  return doc
    .resources(type)
    .filter(bad)
    .map((r) => ({ resource: r, message: typeof message === "string" ? message : message(r) }));
}

/**
 * Security-group rules in any of Terraform's three forms that match `bad`:
 * standalone rule resources and legacy aws_security_group_rule are reported
 * themselves, inline blocks by their group.
 */
function sgRulesWhere(doc: TfDocument, kind: "ingress" | "egress", bad: (b: Body) => boolean, message: string): RawFinding[] {
  return [
    ...[...sgRuleResources(doc, kind), ...legacySgRules(doc, kind)].filter((r) => bad(r.body)).map((r) => ({ resource: r, message })),
    ...doc
      .resources("aws_security_group")
      .filter((g) => inlineSgRules(g, kind).some(bad))
      .map((g) => ({ resource: g, message: `${message} (inline rule)` })),
  ];
}

/** Values of a tunnel option that the hardened proposals (TUNNEL_CRYPTO) do not offer. */
const outside = (values: readonly (string | number)[], offered: readonly (string | number)[]) => values.filter((v) => !offered.includes(v));

function openToAnywhere(body: Body): boolean {
  return (
    ANYWHERE.has(String(body.cidr_ipv4)) ||
    ANYWHERE.has(String(body.cidr_ipv6)) ||
    asList<string>(body.cidr_blocks).some((c) => ANYWHERE.has(c)) ||
    asList<string>(body.ipv6_cidr_blocks).some((c) => ANYWHERE.has(c))
  );
}

const ADMIN_PORTS = [22, 3389];

/** A required tag key, with the key the resource has that differs only in case (AWS tag keys are case-sensitive). */
function withCaseHint(key: string, tags: Readonly<Record<string, unknown>>): string {
  const near = Object.keys(tags).find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
  return near ? `${key} (it has ${near}: tag keys are case-sensitive)` : key;
}

export { UNTAGGABLE_TYPES };

const CORE_RULES: readonly Rule[] = [
  {
    id: "MLN-VPC-1",
    title: "VPC flow logs are enabled",
    severity: "error",
    controls: { checkov: "CKV2_AWS_11", securityHub: "EC2.6", cdkNag: "AwsSolutions-VPC7" },
    fix: "enable flow logs (MlVpc flowLogs.destination cloudWatchLogs or s3)",
    check: (doc) => flagged(doc, "aws_vpc", (vpc) => !doc.resources("aws_flow_log").some((f) => doc.refersTo(f.body.vpc_id, vpc)), "has no flow log"),
  },
  {
    id: "MLN-VPC-2",
    title: "The default security group has no rules",
    severity: "error",
    controls: { checkov: "CKV2_AWS_12", securityHub: "EC2.2" },
    fix: "manage aws_default_security_group with ingress = [] and egress = [] (MlVpc does)",
    check: (doc) =>
      doc.resources("aws_vpc").flatMap((vpc) => {
        const sg = doc.resources("aws_default_security_group").find((d) => doc.refersTo(d.body.vpc_id, vpc));
        if (!sg) return [{ resource: vpc, message: "leaves its default security group unmanaged (AWS creates it with allow rules)" }];
        const open = asList(sg.body.ingress).length > 0 || asList(sg.body.egress).length > 0 || sg.body.ingress === undefined || sg.body.egress === undefined;
        return open ? [{ resource: sg, message: "keeps rules (or does not set ingress = [] and egress = [])" }] : [];
      }),
  },
  {
    id: "MLN-VPC-3",
    title: "No subnet outside the public tier auto-assigns public IPs",
    severity: "error",
    controls: { checkov: "CKV_AWS_130", securityHub: "EC2.15" },
    fix: "set map_public_ip_on_launch = false",
    check: (doc) =>
      flagged(
        doc,
        "aws_subnet",
        (s) => (s.body.map_public_ip_on_launch === true || s.body.map_public_ip_on_launch === "true") && TfDocument.tierOf(s) !== "public",
        (s) => `auto-assigns public IPv4 addresses in the ${TfDocument.tierOf(s) ?? "untiered"} tier`,
      ),
  },
  {
    id: "MLN-SG-1",
    title: "No security group admits ingress from 0.0.0.0/0 or ::/0",
    severity: "error",
    controls: { securityHub: "EC2.18", cdkNag: "AwsSolutions-EC23" },
    fix: "name the client ranges or groups instead of the whole internet",
    check: (doc) => sgRulesWhere(doc, "ingress", openToAnywhere, "admits the whole internet"),
  },
  {
    id: "MLN-SG-2",
    title: "SSH (22) and RDP (3389) are never open to the internet (cannot be suppressed)",
    severity: "error",
    controls: { checkov: "CKV_AWS_24, CKV_AWS_25", securityHub: "EC2.13, EC2.14", cdkNag: "AwsSolutions-EC23" },
    fix: "remove the rule; reach instances with SSM Session Manager",
    check: (doc) => {
      const bad = (b: Body) => openToAnywhere(b) && ADMIN_PORTS.some((p) => portsOf(b).all || covers(portsOf(b), p));
      return sgRulesWhere(doc, "ingress", bad, "opens SSH or RDP to the internet");
    },
  },
  {
    id: "MLN-SG-3",
    title: "No security group allows all ports out to 0.0.0.0/0",
    severity: "error",
    controls: { checkov: "CKV_AWS_382" },
    fix: "allow only the ports needed (e.g. 443) or use VPC endpoints",
    check: (doc) => {
      const allOut = (b: Body) => openToAnywhere(b) && (portsOf(b).all || (!portsOf(b).icmp && portsOf(b).from === 0 && portsOf(b).to === 65535));
      return sgRulesWhere(doc, "egress", allOut, "allows every port to the internet");
    },
  },
  {
    id: "MLN-SG-4",
    title: "Every security group and rule has a description",
    severity: "error",
    controls: { checkov: "CKV_AWS_23" },
    fix: "describe what the group or rule is for",
    check: (doc) => {
      const missing = (d: unknown) => typeof d !== "string" || d.trim() === "" || d === "Managed by Terraform";
      return [
        ...doc
          .resources("aws_security_group")
          .filter((g) => missing(g.body.description))
          .map((g) => ({ resource: g, message: "has no description" })),
        ...[...sgRuleResources(doc, "ingress"), ...sgRuleResources(doc, "egress"), ...doc.resources("aws_security_group_rule")]
          .filter((r) => missing(r.body.description))
          .map((r) => ({ resource: r, message: "has no description" })),
        ...doc
          .resources("aws_security_group")
          .filter((g) => [...inlineSgRules(g, "ingress"), ...inlineSgRules(g, "egress")].some((b) => missing(b.description)))
          .map((g) => ({ resource: g, message: "has an inline rule without a description" })),
      ];
    },
  },
  {
    id: "MLN-NACL-1",
    title: "No network ACL admits 0.0.0.0/0 to SSH (22) or RDP (3389)",
    severity: "error",
    controls: { checkov: "CKV_AWS_229, CKV_AWS_231", securityHub: "EC2.21" },
    fix: "remove the allow, or narrow it to known ranges and other ports",
    check: (doc) => {
      const bad = (b: Body) =>
        String(b.rule_action ?? b.action) === "allow" &&
        (ANYWHERE.has(String(b.cidr_block)) || ANYWHERE.has(String(b.ipv6_cidr_block))) &&
        ADMIN_PORTS.some((p) => portsOf(b).all || covers(portsOf(b), p));
      return [
        ...doc
          .resources("aws_network_acl_rule")
          .filter((r) => r.body.egress !== true && bad(r.body))
          .map((r) => ({ resource: r, message: "admits SSH or RDP from the internet" })),
        ...[...doc.resources("aws_network_acl"), ...doc.resources("aws_default_network_acl")]
          .filter((a) => asList<Body>(a.body.ingress).some(bad))
          .map((a) => ({ resource: a, message: "admits SSH or RDP from the internet inline (an allow-all rule counts)" })),
      ];
    },
  },
  {
    id: "MLN-NACL-2",
    title: "Every subnet's network ACL lets traffic both in and out",
    severity: "error",
    controls: {},
    fix: 'associate the subnet with a NACL that has allow rules both ways (TierNetworkAcls), or give the default NACL rules (MlVpc defaultNetworkAcl "baseline")',
    check: (doc) => {
      // A stateless NACL with no allow rule in one direction drops every request or every reply:
      // nothing in the subnet can talk to anything, and it fails at run time, not at plan time.
      // The subnet's NACL is its explicit one, else the VPC's default NACL when the JSON manages it.
      const model = modelOf(doc);
      const findings: RawFinding[] = [];
      for (const subnet of model.subnets) {
        const nacl = model.nacls.find((n) => n.address === subnet.nacl);
        if (!nacl) continue;
        const allows = (egress: boolean) => nacl.rules.some((r) => r.egress === egress && r.action === "allow");
        const closed = [allows(false) ? undefined : "inbound", allows(true) ? undefined : "outbound"].filter((d): d is string => d !== undefined);
        const resource = doc.byAddress(subnet.address);
        if (closed.length > 0 && resource) {
          findings.push({ resource, message: `sits in ${nacl.address}, which allows nothing ${closed.join(" or ")}: the subnet cannot talk to anything` });
        }
      }
      return findings;
    },
  },
  {
    id: "MLN-RT-1",
    title: "No private, isolated or training route table routes to an internet gateway",
    severity: "error",
    controls: {},
    fix: "route non-public tiers through NAT (private) or nowhere (isolated, training)",
    check: (doc) => {
      const isIgw = (v: unknown) => doc.deref(v)?.type === "aws_internet_gateway";
      const findings: RawFinding[] = [];
      for (const route of doc.resources("aws_route")) {
        const rt = doc.deref(route.body.route_table_id);
        const tier = rt && routeTableTier(doc, rt);
        if (rt && isIgw(route.body.gateway_id) && tier && tier !== "public")
          findings.push({ resource: route, message: `sends the ${tier} route table to an internet gateway` });
      }
      for (const rt of doc.resources("aws_route_table")) {
        const tier = routeTableTier(doc, rt);
        if (tier && tier !== "public" && asList<Body>(rt.body.route).some((r) => isIgw(r.gateway_id)))
          findings.push({ resource: rt, message: `is a ${tier} route table with an inline route to an internet gateway` });
      }
      return findings;
    },
  },
  {
    id: "MLN-RT-2",
    title: "Isolated route tables route nowhere outside the VPC",
    severity: "error",
    controls: {},
    fix: "remove the route; isolated subnets reach AWS services through gateway and interface endpoints",
    check: (doc) => {
      const findings: RawFinding[] = [];
      for (const route of doc.resources("aws_route")) {
        const rt = doc.deref(route.body.route_table_id);
        if (rt && routeTableTier(doc, rt) === "isolated")
          findings.push({
            resource: route,
            message: `routes ${String(route.body.destination_cidr_block ?? route.body.destination_prefix_list_id)} out of the isolated tier`,
          });
      }
      for (const rt of doc.resources("aws_route_table")) {
        if (routeTableTier(doc, rt) === "isolated" && asList(rt.body.route).length > 0)
          findings.push({ resource: rt, message: "is an isolated route table with inline routes" });
      }
      return findings;
    },
  },
  {
    id: "MLN-RT-3",
    title: "Security groups granted internet egress run in tiers with a path to the internet",
    severity: "error",
    controls: {},
    fix: "give the tier a route out (MlVpc nat single or perAz; tiers.training.natEgress for the training tier), or remove the group from securityGroups.internetEgress",
    check: (doc) => {
      // An egress rule to 0.0.0.0/0 whose group runs where no route leads out is intent without a
      // path: the job that needs PyPI fails at run time, not at plan time. Checked per subnet the
      // group runs in and for the rule's own ports. (IPv6 rules are left out: these VPCs have no IPv6.)
      const toInternet = (b: Body) => b.cidr_ipv4 === "0.0.0.0/0" || asList<string>(b.cidr_blocks).includes("0.0.0.0/0");
      const openEgress = [...sgRuleResources(doc, "egress"), ...legacySgRules(doc, "egress")].filter((r) => toInternet(r.body));
      if (openEgress.length === 0) return [];
      const model = modelOf(doc);
      const findings: RawFinding[] = [];
      for (const rule of openEgress) {
        const group = model.securityGroups.find((g) => g.rules.some((x) => x.address === rule.address));
        const modelRule = group?.rules.find((x) => x.address === rule.address);
        if (!group || !modelRule) continue;
        const range: PortRange =
          modelRule.protocol === "all"
            ? { protocol: "all", from: 0, to: 65535 }
            : { protocol: modelRule.protocol as PortRange["protocol"], from: modelRule.from, to: modelRule.from };
        const tiers = groupTiers(model, group);
        const stuck = model.subnets
          .filter((s) => s.tier && tiers.includes(s.tier))
          .map((s) => ({ s, v: internetFrom(model, s.address, range) }))
          .filter((x) => !x.v.reachable);
        if (stuck.length > 0) {
          const where = stuck.map((x) => `${x.s.name} (${x.v.reason})`).join("; ");
          findings.push({
            resource: rule,
            message: `lets ${group.name} reach the internet on ${describeRange(range)}, but it runs in subnets with no path out: ${where}`,
          });
        }
      }
      return findings;
    },
  },
  {
    id: "MLN-VPCE-1",
    title: "Interface endpoints sit in a VPC with DNS support and DNS hostnames",
    severity: "error",
    controls: {},
    fix: "set enable_dns_support and enable_dns_hostnames on the VPC",
    check: (doc) =>
      doc
        .resources("aws_vpc_endpoint")
        .filter((e) => e.body.vpc_endpoint_type === "Interface")
        .flatMap((e) => {
          const vpc = doc.deref(e.body.vpc_id);
          if (!vpc) return [];
          const ok = vpc.body.enable_dns_support !== false && vpc.body.enable_dns_hostnames === true;
          return ok ? [] : [{ resource: e, message: `is in ${vpc.address}, which lacks DNS support or DNS hostnames` }];
        }),
  },
  {
    id: "MLN-VPCE-2",
    title: "Interface endpoints span at least two AZs (production)",
    severity: "error",
    controls: {},
    fix: "place the endpoint in two or more AZs (endpoints.interface.availabilityZones)",
    check: (doc, ctx) => {
      if (!ctx.environment || !ctx.multiAzEnvironments.includes(ctx.environment)) return [];
      return doc
        .resources("aws_vpc_endpoint")
        .filter((e) => e.body.vpc_endpoint_type === "Interface")
        .flatMap((e) => {
          const subnets = [
            ...asList<string>(e.body.subnet_ids),
            ...doc
              .resources("aws_vpc_endpoint_subnet_association")
              .filter((a) => doc.refersTo(a.body.vpc_endpoint_id, e))
              .map((a) => a.body.subnet_id as string),
          ];
          const azs = new Set(subnets.map((s) => doc.deref(s)?.body.availability_zone).filter(Boolean));
          return azs.size >= 2 ? [] : [{ resource: e, message: `sits in ${azs.size} AZ${azs.size === 1 ? "" : "s"}; an AZ outage would cut the service` }];
        });
    },
  },
  {
    id: "MLN-VPCE-3",
    title: "Private compute has an S3 gateway endpoint",
    severity: "error",
    controls: {},
    fix: "add the S3 gateway endpoint to the route tables of private and training subnets (MlVpcEndpoints does by default)",
    check: (doc) => {
      const s3 = doc.resources("aws_vpc_endpoint").filter((e) => e.body.vpc_endpoint_type === "Gateway" && String(e.body.service_name).endsWith(".s3"));
      const attached = new Set<string>();
      for (const e of s3) {
        for (const id of asList<string>(e.body.route_table_ids)) attached.add(doc.deref(id)?.address ?? id);
        for (const a of doc.resources("aws_vpc_endpoint_route_table_association").filter((x) => s3.some((g) => doc.refersTo(x.body.vpc_endpoint_id, g)))) {
          attached.add(doc.deref(a.body.route_table_id)?.address ?? String(a.body.route_table_id));
        }
      }
      const findings: RawFinding[] = [];
      for (const assoc of doc.resources("aws_route_table_association")) {
        const subnet = doc.deref(assoc.body.subnet_id);
        const tier = TfDocument.tierOf(subnet);
        const rt = doc.deref(assoc.body.route_table_id);
        if (subnet && rt && (tier === "private" || tier === "training") && !attached.has(rt.address)) {
          findings.push({
            resource: subnet,
            message: `is ${tier} compute whose route table ${rt.address} has no S3 gateway endpoint: S3 traffic would cross NAT or fail`,
          });
        }
      }
      return findings;
    },
  },
  {
    id: "MLN-VPN-1",
    title: "VPN tunnels are hardened (IKEv2, AES-256, SHA-2, DH groups 14-21)",
    severity: "error",
    controls: {},
    fix: "set both tunnels' IKE versions, algorithms and DH groups (SiteToSiteVpn does)",
    check: (doc) =>
      doc.resources("aws_vpn_connection").flatMap((c) => {
        const problems: string[] = [];
        for (const t of ["tunnel1", "tunnel2"]) {
          const b = c.body;
          const ike = asList<string>(b[`${t}_ike_versions`]);
          if (ike.length === 0 || outside(ike, TUNNEL_CRYPTO.ikeVersions).length) problems.push(`${t} allows IKE versions other than ikev2`);
          for (const phase of ["phase1", "phase2"]) {
            const enc = asList<string>(b[`${t}_${phase}_encryption_algorithms`]);
            const integ = asList<string>(b[`${t}_${phase}_integrity_algorithms`]);
            const dh = asList<number>(b[`${t}_${phase}_dh_group_numbers`]).map(Number);
            if (enc.length === 0 || outside(enc, TUNNEL_CRYPTO.encryption).length) problems.push(`${t} ${phase} encryption is not limited to AES256`);
            if (integ.length === 0 || outside(integ, TUNNEL_CRYPTO.integrity).length) problems.push(`${t} ${phase} integrity is not limited to SHA-2`);
            const weak = outside(dh, TUNNEL_CRYPTO.dhGroups);
            if (dh.length === 0) problems.push(`${t} ${phase} leaves DH groups to the defaults, which include group 2`);
            else if (weak.length) problems.push(`${t} ${phase} allows weak DH groups ${weak.join(", ")} (below 14, or the RFC 5114 groups 22-24)`);
          }
        }
        return problems.length ? [{ resource: c, message: problems.join("; ") }] : [];
      }),
  },
  {
    id: "MLN-VPN-2",
    title: "VPN tunnels are logged",
    severity: "error",
    controls: {},
    fix: "enable tunnel logs to CloudWatch Logs on both tunnels",
    check: (doc) =>
      doc.resources("aws_vpn_connection").flatMap((c) => {
        const unlogged = ["tunnel1", "tunnel2"].filter((t) => {
          const opts = asList<Body>(c.body[`${t}_log_options`])[0];
          const cw = asList<Body>(opts?.cloudwatch_log_options)[0];
          return !(cw?.log_enabled === true);
        });
        return unlogged.length ? [{ resource: c, message: `${unlogged.join(" and ")} ${unlogged.length > 1 ? "are" : "is"} not logged` }] : [];
      }),
  },
  {
    id: "MLN-EC2-1",
    title: "Launch templates require IMDSv2",
    severity: "error",
    controls: { checkov: "CKV_AWS_79", securityHub: "EC2.170", cdkNag: "AwsSolutions-EC29" },
    fix: 'set metadata_options.http_tokens = "required"',
    check: (doc) => flagged(doc, "aws_launch_template", (t) => asList<Body>(t.body.metadata_options)[0]?.http_tokens !== "required", "does not require IMDSv2"),
  },
  {
    id: "MLN-EC2-2",
    title: "Launch templates assign no public IP",
    severity: "error",
    controls: { checkov: "CKV_AWS_88", securityHub: "EC2.25" },
    fix: 'set associate_public_ip_address = "false" on every network interface',
    check: (doc) =>
      flagged(
        doc,
        "aws_launch_template",
        (t) => asList<Body>(t.body.network_interfaces).some((n) => String(n.associate_public_ip_address) === "true"),
        "assigns public IPs",
      ),
  },
  {
    id: "MLN-EC2-3",
    title: "Instances use a single network interface",
    severity: "error",
    controls: { securityHub: "EC2.17" },
    fix: "use one interface, or suppress with the reason (EFA needs one interface per network card)",
    check: (doc) =>
      flagged(
        doc,
        "aws_launch_template",
        (t) => asList(t.body.network_interfaces).length > 1,
        (t) => `attaches ${asList(t.body.network_interfaces).length} network interfaces`,
      ),
  },
  {
    id: "MLN-EC2-4",
    title: "Launch templates with several network interfaces leave associate_public_ip_address unset",
    severity: "error",
    controls: {},
    fix: "remove associate_public_ip_address from every interface (EC2 rejects it when more than one interface is given)",
    check: (doc) =>
      flagged(
        doc,
        "aws_launch_template",
        (t) =>
          asList<Body>(t.body.network_interfaces).length > 1 &&
          asList<Body>(t.body.network_interfaces).some((n) => n.associate_public_ip_address !== undefined && n.associate_public_ip_address !== null),
        "sets associate_public_ip_address with several network interfaces; EC2 fails the launch (InvalidParameterCombination)",
      ),
  },
  {
    id: "MLN-SM-1",
    title: "SageMaker notebooks run in a VPC",
    severity: "error",
    controls: { checkov: "CKV_AWS_306", securityHub: "SageMaker.2", cdkNag: "AwsSolutions-SM1" },
    fix: "give the notebook a subnet_id and security groups (SageMakerWorkspace does)",
    check: (doc) => flagged(doc, "aws_sagemaker_notebook_instance", (n) => !n.body.subnet_id, "is not in a VPC"),
  },
  {
    id: "MLN-SM-2",
    title: "SageMaker notebooks have no direct internet access",
    severity: "error",
    controls: { checkov: "CKV_AWS_122", securityHub: "SageMaker.1", cdkNag: "AwsSolutions-SM3" },
    fix: 'set direct_internet_access = "Disabled" (the default is Enabled)',
    check: (doc) => flagged(doc, "aws_sagemaker_notebook_instance", (n) => n.body.direct_internet_access !== "Disabled", "has direct internet access"),
  },
  {
    id: "MLN-SM-3",
    title: "SageMaker notebooks have no root access",
    severity: "error",
    controls: { checkov: "CKV_AWS_307", securityHub: "SageMaker.3" },
    fix: 'set root_access = "Disabled" (the default is Enabled)',
    check: (doc) => flagged(doc, "aws_sagemaker_notebook_instance", (n) => n.body.root_access !== "Disabled", "grants root access"),
  },
  {
    id: "MLN-SM-4",
    title: "SageMaker notebook volumes are encrypted with KMS",
    severity: "error",
    controls: { checkov: "CKV_AWS_22", cdkNag: "AwsSolutions-SM2" },
    fix: "set kms_key_id",
    check: (doc) => flagged(doc, "aws_sagemaker_notebook_instance", (n) => !n.body.kms_key_id, "has no KMS key"),
  },
  {
    id: "MLN-SM-5",
    title: "SageMaker domains send app traffic through the VPC (VpcOnly)",
    severity: "error",
    controls: {},
    fix: 'set app_network_access_type = "VpcOnly" (the default, PublicInternetOnly, gives Studio apps direct internet access)',
    check: (doc) =>
      flagged(
        doc,
        "aws_sagemaker_domain",
        (d) => d.body.app_network_access_type !== "VpcOnly",
        (d) =>
          `sends app traffic through a SageMaker-managed VPC with internet access (app_network_access_type ${text(d.body.app_network_access_type) || "unset"})`,
      ),
  },
  {
    id: "MLN-LOG-1",
    title: "Log groups have a retention period",
    severity: "error",
    controls: { checkov: "CKV_AWS_66" },
    fix: "set retention_in_days",
    check: (doc) => flagged(doc, "aws_cloudwatch_log_group", (g) => !(Number(g.body.retention_in_days) > 0), "keeps logs forever (no retention)"),
  },
  {
    id: "MLN-LOG-2",
    title: "Log groups are encrypted with KMS",
    severity: "error",
    controls: { checkov: "CKV_AWS_158" },
    fix: "set kms_key_id",
    check: (doc) => flagged(doc, "aws_cloudwatch_log_group", (g) => !g.body.kms_key_id, "is not encrypted with a KMS key"),
  },
  {
    id: "MLN-TAG-1",
    title: "Required tags are present on the provider or the resource",
    severity: "error",
    controls: {},
    fix: "add the tags to the provider's default_tags (or to the resource)",
    check: (doc, ctx) => {
      const defaults = doc.defaultTags();
      return doc
        .resources()
        .filter((r) => !UNTAGGABLE_TYPES.has(r.type))
        .flatMap((r) => {
          const tags = { ...defaults, ...((r.body.tags ?? {}) as Record<string, string>) };
          // An empty value counts as missing, whichever of the provider or the resource sets it.
          const missing = ctx.requiredTags.filter((t) => !(defaults[t] || tags[t]));
          return missing.length ? [{ resource: r, message: `lacks ${missing.map((t) => withCaseHint(t, tags)).join(", ")}` }] : [];
        });
    },
  },
  {
    id: "MLN-TAG-2",
    title: "Instances launched by auto scaling groups carry the required tags",
    severity: "error",
    controls: {},
    fix: "propagate the required tags at launch from the auto scaling group and set them in the launch template's tag_specifications (EfaCluster instanceTags); provider default_tags do not reach them",
    check: (doc, ctx) =>
      doc.resources("aws_autoscaling_group").flatMap((g) => {
        const propagated = new Map(
          [...asList<Body>(g.body.tag), ...asList<Body>(g.body.tags)]
            .filter((t) => t.propagate_at_launch === true || t.propagate_at_launch === "true")
            .map((t) => [String(t.key), String(t.value)]),
        );
        const missing = ctx.requiredTags.filter((t) => !propagated.get(t));
        // The template, referenced by id or name, directly or through a mixed instances policy.
        const spec =
          asList<Body>(g.body.launch_template)[0] ??
          asList<Body>(asList<Body>(asList<Body>(g.body.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification)[0];
        const template = doc.deref(spec?.id ?? spec?.launch_template_id) ?? doc.deref(spec?.name ?? spec?.launch_template_name);
        const specs = asList<Body>(template?.body.tag_specifications);
        const untagged = ["instance", "volume", "network-interface"].filter((type) => {
          const tags = (specs.find((s) => s.resource_type === type)?.tags ?? {}) as Record<string, string>;
          return ctx.requiredTags.some((t) => !tags[t]);
        });
        const problems = [
          ...(missing.length ? [`does not propagate ${missing.join(", ")} to the instances it launches`] : []),
          ...(template && untagged.length ? [`its launch template tags no ${untagged.join(", ")} with every required tag`] : []),
        ];
        return problems.length ? [{ resource: g, message: problems.join("; ") }] : [];
      }),
  },
];

/** Every rule of the pack: the core rules, then those of the hybrid and serving modules. */
export const RULES: readonly Rule[] = [...CORE_RULES, ...HYBRID_RULES];
