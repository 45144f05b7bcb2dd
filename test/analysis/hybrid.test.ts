/**
 * The report knows the hybrid and serving parts: on-premises over Direct
 * Connect with the VPN as backup, DNS from on-premises through the inbound
 * Resolver endpoint and forwarded queries out, callers reaching inference
 * through a load balancer. Each verdict names its path or what stops it.
 */
import { analyzeReachability, buildModel, estimateCost, toDot, type TfJsonShape } from "../../analysis";

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const ref = (type: string, name: string, attr = "id") => `\${${type}.${name}.${attr}}`;

function network(extra: Resources = {}): TfJsonShape {
  const subnet = (az: string, cidr: string) => ({
    vpc_id: ref("aws_vpc", "v"),
    cidr_block: cidr,
    availability_zone: az,
    tags: { Tier: "private", Name: `private-${az}` },
  });
  const base: Resources = {
    aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
    aws_subnet: { a: subnet("us-east-1a", "10.0.0.0/24"), b: subnet("us-east-1b", "10.0.1.0/24") },
    aws_route_table: { rt: { vpc_id: ref("aws_vpc", "v"), tags: { Tier: "private" } } },
    aws_route_table_association: {
      a: { subnet_id: ref("aws_subnet", "a"), route_table_id: ref("aws_route_table", "rt") },
      b: { subnet_id: ref("aws_subnet", "b"), route_table_id: ref("aws_route_table", "rt") },
    },
    aws_vpn_gateway: { vgw: { vpc_id: ref("aws_vpc", "v") } },
    aws_vpn_gateway_route_propagation: { p: { vpn_gateway_id: ref("aws_vpn_gateway", "vgw"), route_table_id: ref("aws_route_table", "rt") } },
    aws_vpn_connection: { dc1: { vpn_gateway_id: ref("aws_vpn_gateway", "vgw"), tags: { Name: "vpn-dc1" } } },
    aws_vpn_connection_route: { r: { vpn_connection_id: ref("aws_vpn_connection", "dc1"), destination_cidr_block: "172.16.0.0/16" } },
  };
  const resource: Resources = { ...base };
  for (const [type, byName] of Object.entries(extra)) resource[type] = { ...(resource[type] ?? {}), ...byName };
  return { provider: { aws: [{ region: "us-east-1" }] }, resource };
}

const group = (name: string) => ({ name, description: name, vpc_id: ref("aws_vpc", "v") });
const rule = (groupName: string, body: Record<string, unknown>) => ({ security_group_id: ref("aws_security_group", groupName), description: "r", ...body });

const DX: Resources = {
  aws_dx_gateway: { dx: { name: "ml-dx", amazon_side_asn: "64600" } },
  aws_dx_gateway_association: {
    a: { dx_gateway_id: ref("aws_dx_gateway", "dx"), associated_gateway_id: ref("aws_vpn_gateway", "vgw"), allowed_prefixes: ["10.0.0.0/16"] },
  },
};

function dns(inboundPort = 53, outboundTo = "172.16.0.10/32"): Resources {
  return {
    aws_security_group: { inbound: group("ml-dns-inbound"), outbound: group("ml-dns-outbound") },
    aws_vpc_security_group_ingress_rule: {
      in53: rule("inbound", { ip_protocol: "udp", from_port: inboundPort, to_port: inboundPort, cidr_ipv4: "172.16.0.0/16" }),
    },
    aws_vpc_security_group_egress_rule: { out53: rule("outbound", { ip_protocol: "udp", from_port: 53, to_port: 53, cidr_ipv4: outboundTo }) },
    aws_route53_resolver_endpoint: {
      inbound: {
        name: "ml-dns-inbound",
        direction: "INBOUND",
        security_group_ids: [ref("aws_security_group", "inbound")],
        ip_address: [{ subnet_id: ref("aws_subnet", "a") }, { subnet_id: ref("aws_subnet", "b") }],
      },
      outbound: {
        name: "ml-dns-outbound",
        direction: "OUTBOUND",
        security_group_ids: [ref("aws_security_group", "outbound")],
        ip_address: [{ subnet_id: ref("aws_subnet", "a") }, { subnet_id: ref("aws_subnet", "b") }],
      },
    },
    aws_route53_resolver_rule: {
      corp: {
        domain_name: "corp.example.com",
        rule_type: "FORWARD",
        resolver_endpoint_id: ref("aws_route53_resolver_endpoint", "outbound"),
        target_ip: [{ ip: "172.16.0.10", port: 53 }],
      },
    },
    aws_route53_resolver_rule_association: { corp: { resolver_rule_id: ref("aws_route53_resolver_rule", "corp"), vpc_id: ref("aws_vpc", "v") } },
    aws_route53_zone: { ml: { name: "ml.internal", vpc: [{ vpc_id: ref("aws_vpc", "v") }] } },
  };
}

function balancer(callerCidr = "10.0.0.0/16", inferenceAdmitsLb = true): Resources {
  return {
    aws_security_group: { lb: group("ml-inference-lb"), inference: group("ml-inference") },
    aws_vpc_security_group_ingress_rule: {
      callers: rule("lb", { ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: callerCidr }),
      ...(inferenceAdmitsLb
        ? { fromLb: rule("inference", { ip_protocol: "tcp", from_port: 8080, to_port: 8080, referenced_security_group_id: ref("aws_security_group", "lb") }) }
        : {}),
    },
    aws_vpc_security_group_egress_rule: {
      toInference: rule("lb", { ip_protocol: "tcp", from_port: 8080, to_port: 8080, referenced_security_group_id: ref("aws_security_group", "inference") }),
    },
    aws_lb: {
      lb: {
        name: "ml-inference",
        internal: true,
        load_balancer_type: "application",
        subnets: [ref("aws_subnet", "a"), ref("aws_subnet", "b")],
        security_groups: [ref("aws_security_group", "lb")],
      },
    },
    aws_lb_target_group: { tg: { port: 8080, protocol: "HTTP", target_type: "ip", vpc_id: ref("aws_vpc", "v") } },
    aws_lb_listener: {
      https: {
        load_balancer_arn: ref("aws_lb", "lb", "arn"),
        port: 443,
        protocol: "HTTPS",
        default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group", "tg", "arn") }],
      },
    },
  };
}

const report = (json: TfJsonShape) => analyzeReachability(buildModel(json));

/** Resources of several parts together, merged per resource type. */
function merge(...parts: Resources[]): Resources {
  const out: Resources = {};
  for (const part of parts) for (const [type, byName] of Object.entries(part)) out[type] = { ...(out[type] ?? {}), ...byName };
  return out;
}

describe("on-premises over Direct Connect", () => {
  it("goes through the Direct Connect gateway, with the VPN named as backup", () => {
    const v = report(network(DX)).matrix.private["on-premises"];
    expect(v.reachable).toBe(true);
    expect(v.path).toEqual(["private-us-east-1a", "aws_vpn_gateway.vgw", "aws_dx_gateway.dx", "Direct Connect", "on-premises 172.16.0.0/16"]);
    expect(v.reason).toMatch(/Direct Connect through aws_dx_gateway\.dx \(preferred over VPN for the same prefix\), VPN vpn-dc1 as backup/);
  });

  it("without Direct Connect, goes over the VPN", () => {
    expect(report(network()).matrix.private["on-premises"].path).toEqual(["private-us-east-1a", "aws_vpn_gateway.vgw", "vpn-dc1", "on-premises 172.16.0.0/16"]);
  });
});

describe("hybrid DNS", () => {
  it("on-premises clients reach the inbound endpoint; VPC queries for corp.example.com reach 172.16.0.10", () => {
    const r = report(network(merge(DX, dns())));
    expect(r.dns.inbound).toMatchObject({
      reachable: true,
      path: ["on-premises 172.16.0.0/16", "Direct Connect", "aws_dx_gateway.dx", "aws_vpn_gateway.vgw", "private-us-east-1a", "ml-dns-inbound"],
    });
    expect(r.dns.forwarding).toEqual([
      {
        domain: "corp.example.com",
        verdict: expect.objectContaining({ reachable: true, path: expect.arrayContaining(["ml-dns-outbound", "172.16.0.10:53"]) }),
      },
    ]);
    expect(r.dns.privateZones).toEqual(["ml.internal"]);
  });

  it("names the group that stops DNS", () => {
    const r = report(network(dns(5353, "172.16.9.0/24")));
    expect(r.dns.inbound).toMatchObject({ reachable: false, reason: "ml-dns-inbound's security group does not admit DNS (UDP 53) from 172.16.0.0/16" });
    expect(r.dns.forwarding[0].verdict).toMatchObject({
      reachable: false,
      reason: "ml-dns-outbound's security group does not allow DNS (UDP 53) out to 172.16.0.10",
    });
  });
});

describe("inference through a load balancer", () => {
  it("callers in the VPC reach the balancer and through it the inference group", () => {
    const r = report(network(balancer()));
    expect(r.destinations).toContain("load balancer ml-inference");
    expect(r.matrix.private["load balancer ml-inference"]).toMatchObject({
      reachable: true,
      path: ["private-us-east-1a", "private-us-east-1a", "ml-inference", "ml-inference"],
    });
    expect(r.loadBalancers[0].targets).toEqual([{ group: "ml-inference", port: 8080, verdict: expect.objectContaining({ reachable: true }) }]);
  });

  it("says when the balancer's group does not admit the caller, or the inference group does not admit the balancer", () => {
    expect(report(network(balancer("10.9.0.0/16"))).matrix.private["load balancer ml-inference"]).toMatchObject({
      reachable: false,
      reason: "ml-inference's security group does not admit tcp 443 from the private tier",
    });
    expect(report(network(balancer("10.0.0.0/16", false))).loadBalancers[0].targets[0].verdict).toMatchObject({
      reachable: false,
      reason: "ml-inference has no matching ingress rule from ml-inference-lb for tcp 8080",
    });
  });
});

describe("cost and diagram", () => {
  it("price the resolver endpoints' interfaces, the hosted zone, the balancer and Direct Connect data", () => {
    const cost = estimateCost(buildModel(network(merge(DX, dns(), balancer()))));
    const categories = cost.items.map((i) => i.category);
    expect(categories).toEqual(expect.arrayContaining(["DNS", "Load balancer", "Direct Connect"]));
    // Two endpoints with an address in each of two AZs: four network interfaces, all month.
    const resolver = cost.items.filter((i) => i.resource.startsWith("aws_route53_resolver_endpoint."));
    expect(resolver.map((i) => i.monthly)).toEqual([0.125 * 2 * 730, 0.125 * 2 * 730]);
  });

  it("draws the Direct Connect gateway, the resolver endpoints and the balancer", () => {
    const json = network(merge(DX, dns(), balancer()));
    const dot = toDot(buildModel(json), report(json), "hybrid");
    for (const label of ["ml-dx", "ml-dns-inbound", "ml-dns-outbound", "ml-inference", "Direct Connect"]) expect(dot).toContain(label);
  });
});

describe("the network matchers know the hybrid destinations", () => {
  const json = network(merge(DX, dns(), balancer()));

  it("DNS both ways, the balancer by name, on-premises over Direct Connect", () => {
    expect(json).toReach("on-premises", "dns");
    expect(json).toReach("dns", "corp.example.com");
    expect(json).toReach("private", "ml-inference");
    expect(json).not.toReach("internet", "ml-inference");
    expect(json).toReach("private", "on-premises");
  });

  it("fail with the blocking reason, and list what exists", () => {
    expect(() => expect(network(dns(5353))).toReach("on-premises", "dns")).toThrow(/does not admit DNS \(UDP 53\) from 172\.16\.0\.0\/16/);
    expect(() => expect(json).toReach("dns", "other.example.com")).toThrow(/"other.example.com" is not a forwarded domain \(forwarded: corp\.example\.com\)/);
    expect(() => expect(network()).toReach("on-premises", "dns")).toThrow(/no inbound Resolver endpoint/);
  });
});
