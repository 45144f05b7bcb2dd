/**
 * Terraform JSON -> a typed network model: VPCs, subnets with tier and AZ,
 * route tables with routes and associations, gateways, endpoints, security
 * groups with rules, NACLs with rules, VPN, launch templates and auto scaling
 * groups, SageMaker notebooks. References (`${aws_subnet.x.id}`) are resolved
 * to resource addresses. Tiers come from `Tier` tags where present.
 */
import { asList, rangeOf, text, TfDocument, type Body, type TfJsonShape, type TfResource } from "./tfjson";
import { modelHybrid, type HybridModel } from "./model-hybrid";

export type * from "./model-hybrid";

export type RouteTargetKind = "igw" | "nat" | "vgw" | "tgw" | "pcx" | "eigw" | "vpce" | "eni" | "unknown";

export interface ModelRoute {
  readonly destination: string;
  readonly target: { readonly kind: RouteTargetKind; readonly address: string };
}

export interface ModelSubnet {
  readonly address: string;
  readonly name: string;
  readonly cidr: string;
  readonly az: string;
  readonly tier?: string;
  readonly mapPublicIp: boolean;
  routeTable?: string;
  nacl?: string;
}

export interface ModelRouteTable {
  readonly address: string;
  readonly tier?: string;
  readonly routes: ModelRoute[];
  /** Virtual private gateways propagating routes into the table. */
  readonly propagatingVgws: string[];
  /** Gateway endpoints (S3, DynamoDB) attached to the table. */
  readonly gatewayEndpoints: string[];
  readonly subnets: string[];
}

export type SgPeer = { kind: "sg"; address: string } | { kind: "cidr"; cidr: string } | { kind: "prefixList"; service?: string; id: string };

export interface ModelSgRule {
  readonly address: string;
  readonly direction: "ingress" | "egress";
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly peer: SgPeer;
  readonly description?: string;
}

export interface ModelSecurityGroup {
  readonly address: string;
  readonly name: string;
  readonly rules: ModelSgRule[];
  /** Subnets where resources using the group run (endpoints, notebooks, launch templates). */
  readonly memberSubnets: string[];
}

export interface ModelNaclRule {
  readonly egress: boolean;
  readonly ruleNumber: number;
  readonly action: "allow" | "deny";
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly cidr: string;
}

export interface ModelNacl {
  readonly address: string;
  readonly tier?: string;
  readonly subnets: string[];
  readonly rules: ModelNaclRule[];
  readonly isDefault: boolean;
}

export interface ModelEndpoint {
  readonly address: string;
  readonly service: string;
  readonly type: "Gateway" | "Interface";
  readonly subnets: string[];
  readonly routeTables: string[];
  readonly securityGroups: string[];
  readonly privateDns: boolean;
}

export interface ModelLaunchTemplate {
  readonly address: string;
  readonly instanceType?: string;
  readonly interfaces: number;
  readonly subnets: string[];
  readonly securityGroups: string[];
}

export interface ModelAsg {
  readonly address: string;
  readonly name?: string;
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  readonly launchTemplate?: string;
  readonly subnets: string[];
}

export interface NetworkModel extends HybridModel {
  readonly vpcs: { address: string; cidrs: string[]; dnsSupport: boolean; dnsHostnames: boolean }[];
  readonly subnets: ModelSubnet[];
  readonly routeTables: ModelRouteTable[];
  readonly internetGateways: string[];
  readonly natGateways: { address: string; subnet?: string; az?: string }[];
  readonly eips: string[];
  readonly vpnGateways: string[];
  readonly vpnConnections: { address: string; name: string; staticRoutes: string[] }[];
  readonly endpoints: ModelEndpoint[];
  readonly securityGroups: ModelSecurityGroup[];
  readonly nacls: ModelNacl[];
  readonly launchTemplates: ModelLaunchTemplate[];
  readonly autoScalingGroups: ModelAsg[];
  readonly placementGroups: { address: string; strategy: string }[];
  readonly notebooks: { address: string; subnet?: string; directInternet: boolean; securityGroups: string[] }[];
  readonly logGroups: { address: string; name: string; retentionDays?: number; kms: boolean }[];
  readonly flowLogs: { address: string; destination: string; vpc?: string }[];
  readonly kmsKeys: string[];
  readonly region?: string;
  readonly environment?: string;
}

const ports = rangeOf;

/** Helpers shared by the sections of the model. */
interface Ctx {
  readonly doc: TfDocument;
  /** The address a reference points to, if it resolves. */
  readonly addr: (v: unknown) => string | undefined;
  readonly tagsOf: (r: TfResource) => Record<string, string>;
}

/**
 * What a resource is linked to, written either way Terraform allows: inline
 * (`subnet_ids` on the owner) or as standalone association resources
 * (`association` type, whose `ownerKey` points at the owner and `targetKey` at
 * the target). Addresses where references resolve, literal ids otherwise.
 */
function linked(
  { doc, addr }: Ctx,
  owner: TfResource,
  inline: unknown,
  [association, ownerKey, targetKey]: readonly [type: string, ownerKey: string, targetKey: string],
): string[] {
  return [
    ...asList<string>(inline).map((v) => addr(v) ?? v),
    ...doc
      .resources(association)
      .filter((a) => doc.refersTo(a.body[ownerKey], owner))
      .map((a) => addr(a.body[targetKey]) ?? String(a.body[targetKey])),
  ];
}

export function buildModel(input: TfDocument | TfJsonShape): NetworkModel {
  const doc = input instanceof TfDocument ? input : new TfDocument(input);
  const ctx: Ctx = { doc, addr: (v) => doc.deref(v)?.address, tagsOf: (r) => (r.body.tags ?? {}) as Record<string, string> };
  const { addr } = ctx;
  const vpcs = modelVpcs(ctx);
  const subnets = modelSubnets(ctx);
  const subnetByAddr = new Map(subnets.map((s) => [s.address, s]));
  const routeTables = modelRouteTables(ctx, subnetByAddr);
  const endpoints = modelEndpoints(ctx);
  const rtByAddr = new Map(routeTables.map((r) => [r.address, r]));
  for (const e of endpoints.filter((x) => x.type === "Gateway")) for (const rt of e.routeTables) rtByAddr.get(rt)?.gatewayEndpoints.push(e.address);
  const { launchTemplates, autoScalingGroups, notebooks } = modelCompute(ctx);
  const hybrid = modelHybrid(doc, addr);
  // Resolver endpoints and load balancers run where their network interfaces are: members of their groups.
  const placed = [...hybrid.resolverEndpoints, ...hybrid.loadBalancers].map((x) => ({ securityGroups: x.securityGroups, subnets: x.subnets }));
  const securityGroups = modelSecurityGroups(ctx, endpoints, placed, notebooks, launchTemplates);
  const nacls = modelNacls(ctx, subnets, subnetByAddr);
  const natGateways = doc.resources("aws_nat_gateway").map((n) => {
    const subnet = addr(n.body.subnet_id);
    return { address: n.address, subnet, az: subnet ? subnetByAddr.get(subnet)?.az : undefined };
  });

  const aws = doc.json.provider?.aws;
  const region = (Array.isArray(aws) ? aws[0] : aws)?.region as string | undefined;
  return {
    ...hybrid,
    vpcs,
    subnets,
    routeTables,
    internetGateways: doc.resources("aws_internet_gateway").map((g) => g.address),
    natGateways,
    eips: doc.resources("aws_eip").map((e) => e.address),
    vpnGateways: doc.resources("aws_vpn_gateway").map((g) => g.address),
    vpnConnections: doc.resources("aws_vpn_connection").map((c) => ({
      address: c.address,
      name: (c.body.tags as Record<string, string> | undefined)?.Name ?? c.name,
      staticRoutes: doc
        .resources("aws_vpn_connection_route")
        .filter((r) => doc.refersTo(r.body.vpn_connection_id, c))
        .map((r) => String(r.body.destination_cidr_block)),
    })),
    endpoints,
    securityGroups,
    nacls,
    launchTemplates,
    autoScalingGroups,
    placementGroups: doc.resources("aws_placement_group").map((p) => ({ address: p.address, strategy: String(p.body.strategy) })),
    notebooks,
    logGroups: doc
      .resources("aws_cloudwatch_log_group")
      .map((g) => ({ address: g.address, name: String(g.body.name), retentionDays: g.body.retention_in_days as number | undefined, kms: !!g.body.kms_key_id })),
    flowLogs: doc
      .resources("aws_flow_log")
      .map((f) => ({ address: f.address, destination: text(f.body.log_destination_type ?? "cloud-watch-logs"), vpc: addr(f.body.vpc_id) })),
    kmsKeys: doc.resources("aws_kms_key").map((k) => k.address),
    region,
    environment: doc.defaultTags().Environment,
  };
}

function modelVpcs({ doc }: Ctx): NetworkModel["vpcs"] {
  return doc.resources("aws_vpc").map((v) => ({
    address: v.address,
    cidrs: [
      String(v.body.cidr_block),
      ...doc
        .resources("aws_vpc_ipv4_cidr_block_association")
        .filter((a) => doc.refersTo(a.body.vpc_id, v))
        .map((a) => String(a.body.cidr_block)),
    ],
    dnsSupport: v.body.enable_dns_support !== false,
    dnsHostnames: v.body.enable_dns_hostnames === true,
  }));
}

function modelSubnets({ doc, tagsOf }: Ctx): ModelSubnet[] {
  return doc.resources("aws_subnet").map((s) => ({
    address: s.address,
    name: tagsOf(s).Name ?? s.name,
    cidr: String(s.body.cidr_block),
    az: text(s.body.availability_zone),
    tier: tagsOf(s).Tier,
    mapPublicIp: s.body.map_public_ip_on_launch === true,
  }));
}

/** Route tables with inline and standalone routes, propagation and subnet associations. */
function modelRouteTables(ctx: Ctx, subnetByAddr: ReadonlyMap<string, ModelSubnet>): ModelRouteTable[] {
  const { doc, addr, tagsOf } = ctx;
  const targetOf = (b: Body) => routeTarget(doc, b);
  const routeTables: ModelRouteTable[] = doc.resources("aws_route_table").map((rt) => ({
    address: rt.address,
    tier: tagsOf(rt).Tier,
    routes: [
      ...asList<Body>(rt.body.route).map((r) => ({ destination: String(r.cidr_block ?? r.destination_prefix_list_id), target: targetOf(r) })),
      ...doc
        .resources("aws_route")
        .filter((r) => doc.refersTo(r.body.route_table_id, rt))
        .map((r) => ({ destination: String(r.body.destination_cidr_block ?? r.body.destination_prefix_list_id), target: targetOf(r.body) })),
    ],
    propagatingVgws: [...linked(ctx, rt, rt.body.propagating_vgws, ["aws_vpn_gateway_route_propagation", "route_table_id", "vpn_gateway_id"])],
    gatewayEndpoints: [],
    subnets: [],
  }));
  const rtByAddr = new Map(routeTables.map((r) => [r.address, r]));
  for (const a of doc.resources("aws_route_table_association")) {
    const s = subnetByAddr.get(addr(a.body.subnet_id) ?? "");
    const rt = rtByAddr.get(addr(a.body.route_table_id) ?? "");
    if (s && rt) {
      s.routeTable = rt.address;
      rt.subnets.push(s.address);
    }
  }

  return routeTables;
}

/** A route's target: kind and address (or the literal id when it does not resolve). */
function routeTarget(doc: TfDocument, b: Body): ModelRoute["target"] {
  const pairs: [string, RouteTargetKind][] = [
    ["nat_gateway_id", "nat"],
    ["transit_gateway_id", "tgw"],
    ["vpc_peering_connection_id", "pcx"],
    ["egress_only_gateway_id", "eigw"],
    ["vpc_endpoint_id", "vpce"],
    ["network_interface_id", "eni"],
    ["gateway_id", "igw"],
  ];
  for (const [key, kind] of pairs) {
    if (b[key] === undefined) continue;
    const target = doc.deref(b[key]);
    const resolvedKind =
      key === "gateway_id"
        ? target?.type === "aws_vpn_gateway"
          ? "vgw"
          : target?.type === "aws_internet_gateway"
            ? "igw"
            : text(b[key]).startsWith("vgw-")
              ? "vgw"
              : "igw"
        : kind;
    return { kind: resolvedKind, address: target?.address ?? text(b[key]) };
  }
  return { kind: "unknown", address: "" };
}

function modelEndpoints(ctx: Ctx): ModelEndpoint[] {
  const { doc, addr } = ctx;
  return doc.resources("aws_vpc_endpoint").map((e) => {
    // com.amazonaws.<region>.sts -> sts; aws.sagemaker.<region>.notebook -> sagemaker.notebook; an endpoint
    // service (com.amazonaws.vpce.<region>.vpce-svc-...) -> its vpce-svc id.
    const service = String(e.body.service_name).replace(
      /^com\.amazonaws\.vpce\.[a-z0-9-]+\.|^com\.amazonaws\.[a-z0-9-]+\.|^aws\.sagemaker\.[a-z0-9-]+\./,
      (m) => (m.startsWith("aws.sagemaker") ? "sagemaker." : ""),
    );
    return {
      address: e.address,
      service,
      type: (e.body.vpc_endpoint_type as "Gateway" | "Interface") ?? "Gateway",
      subnets: [...linked(ctx, e, e.body.subnet_ids, ["aws_vpc_endpoint_subnet_association", "vpc_endpoint_id", "subnet_id"])],
      routeTables: [...linked(ctx, e, e.body.route_table_ids, ["aws_vpc_endpoint_route_table_association", "vpc_endpoint_id", "route_table_id"])],
      securityGroups: asList<string>(e.body.security_group_ids).map((s) => addr(s) ?? s),
      privateDns: e.body.private_dns_enabled === true,
    };
  });
}

/** Launch templates, auto scaling groups and notebooks: where compute runs. */
function modelCompute({ doc, addr }: Ctx) {
  const launchTemplates: ModelLaunchTemplate[] = doc.resources("aws_launch_template").map((t) => {
    const nics = asList<Body>(t.body.network_interfaces);
    return {
      address: t.address,
      instanceType: t.body.instance_type as string | undefined,
      interfaces: nics.length,
      subnets: [...new Set(nics.map((n) => addr(n.subnet_id)).filter((x): x is string => !!x))],
      securityGroups: [
        ...new Set([...nics.flatMap((n) => asList<string>(n.security_groups)), ...asList<string>(t.body.vpc_security_group_ids)].map((s) => addr(s) ?? s)),
      ],
    };
  });
  const autoScalingGroups: ModelAsg[] = doc.resources("aws_autoscaling_group").map((g) => ({
    address: g.address,
    name: g.body.name as string | undefined,
    min: Number(g.body.min_size ?? 0),
    desired: Number(g.body.desired_capacity ?? g.body.min_size ?? 0),
    max: Number(g.body.max_size ?? 0),
    launchTemplate: addr(asList<Body>(g.body.launch_template)[0]?.id),
    subnets: asList<string>(g.body.vpc_zone_identifier).map((s) => addr(s) ?? s),
  }));
  // Launch templates without subnets on their interfaces run where their auto scaling groups put them.
  for (const t of launchTemplates) {
    if (t.subnets.length === 0) t.subnets.push(...new Set(autoScalingGroups.filter((g) => g.launchTemplate === t.address).flatMap((g) => g.subnets)));
  }
  const notebooks = doc.resources("aws_sagemaker_notebook_instance").map((n) => ({
    address: n.address,
    subnet: addr(n.body.subnet_id),
    directInternet: n.body.direct_internet_access !== "Disabled",
    securityGroups: asList<string>(n.body.security_groups).map((s) => addr(s) ?? s),
  }));

  return { launchTemplates, autoScalingGroups, notebooks };
}

/** Security groups, their rules (standalone, legacy and inline) and where their members run. */
function modelSecurityGroups(
  { doc, addr }: Ctx,
  endpoints: readonly ModelEndpoint[],
  /** Other resources whose network interfaces carry security groups: resolver endpoints, load balancers. */
  placed: readonly { securityGroups: readonly string[]; subnets: readonly string[] }[],
  notebooks: NetworkModel["notebooks"],
  launchTemplates: readonly ModelLaunchTemplate[],
): ModelSecurityGroup[] {
  const sgPeer = (b: Body): SgPeer => {
    const ref = b.referenced_security_group_id ?? b.source_security_group_id;
    if (ref !== undefined || b.self === true) return { kind: "sg", address: b.self === true ? "self" : (addr(ref) ?? String(ref)) };
    if (b.prefix_list_id !== undefined) {
      const data = doc.derefData(b.prefix_list_id);
      const name = data?.body.name as string | undefined;
      return {
        kind: "prefixList",
        id: text(b.prefix_list_id),
        service: name?.split(".").pop() ?? endpoints.find((e) => addr(text(b.prefix_list_id).replace(".prefix_list_id", ".id")) === e.address)?.service,
      };
    }
    return { kind: "cidr", cidr: text(b.cidr_ipv4 ?? b.cidr_ipv6 ?? asList<string>(b.cidr_blocks)[0]) };
  };
  return doc.resources("aws_security_group").map((g) => {
    const rules: ModelSgRule[] = [];
    for (const [type, direction] of [
      ["aws_vpc_security_group_ingress_rule", "ingress"],
      ["aws_vpc_security_group_egress_rule", "egress"],
    ] as const) {
      for (const r of doc.resources(type).filter((x) => doc.refersTo(x.body.security_group_id, g))) {
        rules.push({ address: r.address, direction, ...ports(r.body), peer: sgPeer(r.body), description: r.body.description as string | undefined });
      }
    }
    for (const r of doc.resources("aws_security_group_rule").filter((x) => doc.refersTo(x.body.security_group_id, g))) {
      rules.push({
        address: r.address,
        direction: r.body.type as "ingress" | "egress",
        ...ports(r.body),
        peer: sgPeer(r.body),
        description: r.body.description as string | undefined,
      });
    }
    for (const direction of ["ingress", "egress"] as const) {
      asList<Body>(g.body[direction]).forEach((b, i) =>
        rules.push({ address: `${g.address}.${direction}[${i}]`, direction, ...ports(b), peer: sgPeer(b), description: b.description as string | undefined }),
      );
    }
    for (const r of rules) if (r.peer.kind === "sg" && r.peer.address === "self") (r.peer as { address: string }).address = g.address;
    const members = [
      ...[...endpoints, ...placed].filter((e) => e.securityGroups.includes(g.address)).flatMap((e) => e.subnets),
      ...notebooks
        .filter((n) => n.securityGroups.includes(g.address))
        .map((n) => n.subnet)
        .filter((x): x is string => !!x),
      ...launchTemplates.filter((t) => t.securityGroups.includes(g.address)).flatMap((t) => t.subnets),
    ];
    return { address: g.address, name: text(g.body.name ?? g.name), rules, memberSubnets: [...new Set(members)] };
  });
}

/** NACLs: explicit ones with their associations, and the default one holding every other subnet. */
function modelNacls(ctx: Ctx, subnets: ModelSubnet[], subnetByAddr: ReadonlyMap<string, ModelSubnet>): ModelNacl[] {
  const { doc, tagsOf } = ctx;
  const nacls: ModelNacl[] = [];
  const naclRulesOf = (r: TfResource): ModelNaclRule[] => [
    ...doc
      .resources("aws_network_acl_rule")
      .filter((x) => doc.refersTo(x.body.network_acl_id, r))
      .map((x) => ({
        egress: x.body.egress === true,
        ruleNumber: Number(x.body.rule_number),
        action: x.body.rule_action as "allow" | "deny",
        ...ports(x.body),
        cidr: String(x.body.cidr_block ?? x.body.ipv6_cidr_block),
      })),
    ...(["ingress", "egress"] as const).flatMap((dir) =>
      asList<Body>(r.body[dir]).map((b) => ({
        egress: dir === "egress",
        ruleNumber: Number(b.rule_no),
        action: String(b.action) as "allow" | "deny",
        ...ports(b),
        cidr: String(b.cidr_block ?? b.ipv6_cidr_block),
      })),
    ),
  ];
  for (const acl of doc.resources("aws_network_acl")) {
    const associated = [...linked(ctx, acl, acl.body.subnet_ids, ["aws_network_acl_association", "network_acl_id", "subnet_id"])];
    nacls.push({ address: acl.address, tier: tagsOf(acl).Tier, subnets: associated, rules: naclRulesOf(acl), isDefault: false });
    for (const s of associated) {
      const sub = subnetByAddr.get(s);
      if (sub) sub.nacl = acl.address;
    }
  }
  for (const d of doc.resources("aws_default_network_acl")) {
    const rest = subnets.filter((s) => !s.nacl);
    nacls.push({ address: d.address, subnets: rest.map((s) => s.address), rules: naclRulesOf(d), isDefault: true });
    for (const s of rest) s.nacl = d.address;
  }

  return nacls;
}
