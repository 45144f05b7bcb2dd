/**
 * The hybrid and serving parts of the network model: Route 53 Resolver
 * endpoints and forwarding rules, private hosted zones, Direct Connect
 * gateways and their associations, load balancers with listeners and target
 * groups. Read from Terraform JSON like the rest of the model.
 */
import { asList, text, type Body, type TfDocument } from "./tfjson";

export interface ModelResolverEndpoint {
  readonly address: string;
  readonly name: string;
  readonly direction: "INBOUND" | "OUTBOUND";
  readonly subnets: string[];
  readonly securityGroups: string[];
}

export interface ModelResolverRule {
  readonly address: string;
  readonly domain: string;
  readonly type: string;
  readonly targets: { ip: string; port: number }[];
  /** The outbound endpoint the rule forwards through. */
  readonly endpoint?: string;
  /** VPCs the rule is associated with. */
  readonly vpcs: string[];
}

export interface ModelHostedZone {
  readonly address: string;
  readonly name: string;
  readonly private: boolean;
  readonly vpcs: string[];
  readonly records: number;
}

export interface ModelDxAssociation {
  readonly address: string;
  /** The Direct Connect gateway: an address in this JSON, or an existing gateway's id. */
  readonly dxGateway: string;
  /** The virtual private gateway (or transit gateway) it is associated with. */
  readonly gateway: string;
  /** `vgw`: a virtual private gateway (an aws_vpn_gateway or a vgw- id); `tgw`: a transit gateway. */
  readonly gatewayKind: "vgw" | "tgw" | "unknown";
  /** The VPC the virtual private gateway is attached to, when the JSON says. */
  readonly vpc?: string;
  readonly allowedPrefixes: string[];
}

export interface ModelListener {
  readonly address: string;
  readonly port: number;
  readonly protocol: string;
  readonly sslPolicy?: string;
  readonly hasCertificate: boolean;
  /** The default action redirects to HTTPS (an HTTP listener that only redirects carries no traffic). */
  readonly redirectsToHttps: boolean;
  readonly targetGroups: string[];
}

export interface ModelLoadBalancer {
  readonly address: string;
  readonly name: string;
  readonly type: "application" | "network" | "gateway";
  readonly internal: boolean;
  readonly subnets: string[];
  readonly securityGroups: string[];
  readonly dropInvalidHeaders: boolean;
  readonly desyncMitigation?: string;
  readonly deletionProtection: boolean;
  readonly accessLogs: boolean;
  readonly listeners: ModelListener[];
}

export interface ModelTargetGroup {
  readonly address: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly targetType: string;
}

export interface HybridModel {
  readonly resolverEndpoints: ModelResolverEndpoint[];
  readonly resolverRules: ModelResolverRule[];
  readonly hostedZones: ModelHostedZone[];
  readonly dxGateways: { address: string; name: string; asn?: number }[];
  readonly dxAssociations: ModelDxAssociation[];
  readonly loadBalancers: ModelLoadBalancer[];
  readonly targetGroups: ModelTargetGroup[];
}

type Addr = (v: unknown) => string | undefined;

const nameOf = (r: { name: string; body: Body }) => text(r.body.name ?? (r.body.tags as Record<string, string> | undefined)?.Name ?? r.name);

function listenersOf(doc: TfDocument, addr: Addr, lbAddress: string): ModelListener[] {
  return doc
    .resources("aws_lb_listener")
    .filter((l) => addr(l.body.load_balancer_arn) === lbAddress)
    .map((l) => {
      const actions = asList<Body>(l.body.default_action);
      return {
        address: l.address,
        port: Number(l.body.port),
        protocol: text(l.body.protocol ?? "HTTP").toUpperCase(),
        sslPolicy: l.body.ssl_policy as string | undefined,
        hasCertificate: l.body.certificate_arn !== undefined,
        redirectsToHttps:
          actions.length > 0 && actions.every((a) => a.type === "redirect" && text(asList<Body>(a.redirect)[0]?.protocol).toUpperCase() === "HTTPS"),
        targetGroups: actions.map((a) => addr(a.target_group_arn)).filter((x): x is string => !!x),
      };
    });
}

export function modelHybrid(doc: TfDocument, addr: Addr): HybridModel {
  const resolverEndpoints = doc.resources("aws_route53_resolver_endpoint").map((e) => ({
    address: e.address,
    name: nameOf(e),
    direction: text(e.body.direction).toUpperCase() === "INBOUND" ? ("INBOUND" as const) : ("OUTBOUND" as const),
    subnets: asList<Body>(e.body.ip_address).map((ip) => addr(ip.subnet_id) ?? text(ip.subnet_id)),
    securityGroups: asList<string>(e.body.security_group_ids).map((g) => addr(g) ?? g),
  }));
  const resolverRules = doc.resources("aws_route53_resolver_rule").map((r) => ({
    address: r.address,
    domain: text(r.body.domain_name).replace(/\.$/, ""),
    type: text(r.body.rule_type ?? "FORWARD").toUpperCase(),
    targets: asList<Body>(r.body.target_ip).map((t) => ({ ip: text(t.ip), port: Number(t.port ?? 53) })),
    endpoint: addr(r.body.resolver_endpoint_id),
    vpcs: doc
      .resources("aws_route53_resolver_rule_association")
      .filter((a) => doc.refersTo(a.body.resolver_rule_id, r))
      .map((a) => addr(a.body.vpc_id) ?? text(a.body.vpc_id)),
  }));
  const hostedZones = doc.resources("aws_route53_zone").map((z) => {
    const vpcs = asList<Body>(z.body.vpc).map((v) => addr(v.vpc_id) ?? text(v.vpc_id));
    return {
      address: z.address,
      name: text(z.body.name).replace(/\.$/, ""),
      private: vpcs.length > 0,
      vpcs,
      records: doc.resources("aws_route53_record").filter((r) => doc.refersTo(r.body.zone_id, z)).length,
    };
  });
  const dxGateways = doc.resources("aws_dx_gateway").map((g) => ({
    address: g.address,
    name: nameOf(g),
    asn: g.body.amazon_side_asn === undefined ? undefined : Number(g.body.amazon_side_asn),
  }));
  const dxAssociations = doc.resources("aws_dx_gateway_association").map((a) => {
    const gateway = addr(a.body.associated_gateway_id) ?? text(a.body.associated_gateway_id);
    const vgw = doc.byAddress(gateway);
    const gatewayKind =
      vgw?.type === "aws_vpn_gateway" || gateway.startsWith("vgw-")
        ? ("vgw" as const)
        : gateway.startsWith("tgw-") || vgw?.type === "aws_ec2_transit_gateway"
          ? ("tgw" as const)
          : ("unknown" as const);
    // The VPC of a virtual private gateway: its vpc_id, or an aws_vpn_gateway_attachment.
    const attachment = vgw && doc.resources("aws_vpn_gateway_attachment").find((t) => doc.refersTo(t.body.vpn_gateway_id, vgw));
    const vpc = vgw && (addr(vgw.body.vpc_id) ?? (attachment ? addr(attachment.body.vpc_id) : undefined));
    return {
      address: a.address,
      dxGateway: addr(a.body.dx_gateway_id) ?? text(a.body.dx_gateway_id),
      gateway,
      gatewayKind,
      vpc,
      allowedPrefixes: asList<string>(a.body.allowed_prefixes).map(String),
    };
  });
  const loadBalancers = [...doc.resources("aws_lb"), ...doc.resources("aws_alb")].map((lb) => {
    const logs = asList<Body>(lb.body.access_logs)[0];
    return {
      address: lb.address,
      name: nameOf(lb),
      type: (text(lb.body.load_balancer_type ?? "application") as ModelLoadBalancer["type"]) ?? "application",
      internal: lb.body.internal === true,
      subnets: [
        ...asList<string>(lb.body.subnets).map((s) => addr(s) ?? s),
        ...asList<Body>(lb.body.subnet_mapping).map((m) => addr(m.subnet_id) ?? text(m.subnet_id)),
      ],
      securityGroups: asList<string>(lb.body.security_groups).map((g) => addr(g) ?? g),
      dropInvalidHeaders: lb.body.drop_invalid_header_fields === true,
      desyncMitigation: lb.body.desync_mitigation_mode as string | undefined,
      deletionProtection: lb.body.enable_deletion_protection === true,
      accessLogs: logs !== undefined && logs.enabled === true && logs.bucket !== undefined,
      listeners: listenersOf(doc, addr, lb.address),
    };
  });
  const targetGroups = [...doc.resources("aws_lb_target_group"), ...doc.resources("aws_alb_target_group")].map((t) => ({
    address: t.address,
    port: t.body.port === undefined ? undefined : Number(t.body.port),
    protocol: t.body.protocol as string | undefined,
    targetType: text(t.body.target_type ?? "instance"),
  }));
  return { resolverEndpoints, resolverRules, hostedZones, dxGateways, dxAssociations, loadBalancers, targetGroups };
}
