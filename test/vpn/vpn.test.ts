import { Testing } from "cdktf";
import { CustomerGateway } from "@cdktf/provider-aws/lib/customer-gateway";
import { VpnGateway } from "@cdktf/provider-aws/lib/vpn-gateway";
import { MlVpc } from "../../modules/network";
import { SiteToSiteVpn, type SiteToSiteVpnConfig } from "../../modules/vpn";
import { ENVIRONMENTS, dev, prod, resolveEnvironment, staging } from "../../environments";
import {
  allResources,
  baseProps,
  byPath,
  ref,
  resourceList,
  resources,
  type TfJson,
  environmentJson,
  configIssues,
  environmentIssues,
  synthEnvironment,
} from "../helpers";
import { buildModel } from "../../analysis/model";
import { analyzeReachability, naclVerdict } from "../../analysis/reachability";
import type { TfJsonShape } from "../../analysis/tfjson";

const DC1 = { ipAddress: "203.0.113.10", bgpAsn: 65010, deviceName: "dc1-edge" };

function synthVpn(config: SiteToSiteVpnConfig, onPremisesCidrs = ["172.16.0.0/16"]): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
    new SiteToSiteVpn(scope, "vpn", { network, onPremisesCidrs, ...config });
  });
  return { text, json: JSON.parse(text) as TfJson };
}

describe("SiteToSiteVpn", () => {
  const { text, json } = synthVpn({ customerGateways: { dc1: DC1 } });
  const connection = resourceList(json, "aws_vpn_connection")[0];

  it("attaches a virtual private gateway with the Amazon-side ASN", () => {
    const vpc = Object.keys(resources(json, "aws_vpc"))[0];
    expect(text).toHaveResourceWithProperties(VpnGateway, { vpc_id: ref("aws_vpc", vpc), amazon_side_asn: "64512" });
  });

  it("creates one customer gateway and one VPN connection per device", () => {
    expect(text).toHaveResourceWithProperties(CustomerGateway, { type: "ipsec.1", ip_address: "203.0.113.10", bgp_asn: "65010", device_name: "dc1-edge" });
    expect(connection).toMatchObject({
      type: "ipsec.1",
      vpn_gateway_id: ref("aws_vpn_gateway", byPath(json, "aws_vpn_gateway", "vpn/vgw").name),
      customer_gateway_id: ref("aws_customer_gateway", byPath(json, "aws_customer_gateway", "vpn/cgw-dc1").name),
      static_routes_only: false,
    });
  });

  it("hardens both tunnels: IKEv2, AES-256, SHA-2, DH groups 14-21, dead-peer restart", () => {
    for (const t of ["tunnel1", "tunnel2"]) {
      expect(connection[`${t}_ike_versions`]).toEqual(["ikev2"]);
      for (const phase of ["phase1", "phase2"]) {
        expect(connection[`${t}_${phase}_encryption_algorithms`]).toEqual(["AES256", "AES256-GCM-16"]);
        expect(connection[`${t}_${phase}_integrity_algorithms`]).toEqual(["SHA2-256", "SHA2-384", "SHA2-512"]);
        const groups = connection[`${t}_${phase}_dh_group_numbers`] as number[];
        expect(groups).toEqual([14, 15, 16, 17, 18, 19, 20, 21]);
      }
      expect(connection[`${t}_dpd_timeout_action`]).toBe("restart");
    }
  });

  it("leaves pre-shared keys to AWS and keeps them in Secrets Manager", () => {
    expect(connection.tunnel1_preshared_key).toBeUndefined();
    expect(connection.tunnel2_preshared_key).toBeUndefined();
    expect(connection.preshared_key_storage).toBe("SecretsManager");
  });

  it("logs both tunnels to an encrypted log group of the connection, with retention", () => {
    const logGroup = byPath(json, "aws_cloudwatch_log_group", "vpn/logs-dc1");
    expect(logGroup.body).toMatchObject({ name: "/ml-network/ml-test/vpn/dc1", retention_in_days: 90, kms_key_id: expect.stringMatching(/aws_kms_key/) });
    for (const t of ["tunnel1", "tunnel2"]) {
      expect(connection[`${t}_log_options`]).toEqual({
        cloudwatch_log_options: { log_enabled: true, log_group_arn: ref("aws_cloudwatch_log_group", logGroup.name, "arn"), log_output_format: "json" },
      });
    }
  });

  it("propagates routes into the private and training route tables, not the isolated one", () => {
    const propagated = resourceList(json, "aws_vpn_gateway_route_propagation")
      .map((p) => p.route_table_id)
      .sort();
    const expected = Object.entries(resources(json, "aws_route_table"))
      .filter(([, t]) => ["private", "training"].includes((t.tags as Record<string, string>).Tier))
      .map(([name]) => ref("aws_route_table", name))
      .sort();
    expect(expected).toHaveLength(3);
    expect(propagated).toEqual(expected);
    const onlyPrivate = synthVpn({ customerGateways: { dc1: DC1 }, propagateToTiers: ["private"] });
    expect(resourceList(onlyPrivate.json, "aws_vpn_gateway_route_propagation")).toHaveLength(2);
  });

  it("static routing: one route per on-premises CIDR, or per gateway", () => {
    const st = synthVpn({ routing: "static", customerGateways: { dc1: { ipAddress: "198.51.100.7" } } }, ["172.16.0.0/16", "192.168.0.0/20"]);
    expect(resourceList(st.json, "aws_vpn_connection")[0].static_routes_only).toBe(true);
    expect(
      resourceList(st.json, "aws_vpn_connection_route")
        .map((r) => r.destination_cidr_block)
        .sort(),
    ).toEqual(["172.16.0.0/16", "192.168.0.0/20"]);
    const per = synthVpn({ routing: "static", customerGateways: { dc1: { ipAddress: "198.51.100.7", staticRoutes: ["192.168.8.0/24"] } } });
    expect(resourceList(per.json, "aws_vpn_connection_route").map((r) => r.destination_cidr_block)).toEqual(["192.168.8.0/24"]);
  });

  it("sets tunnel inside CIDRs when given, and 32-bit ASNs through bgp_asn_extended", () => {
    const custom = synthVpn({ customerGateways: { dc1: { ...DC1, bgpAsn: 4200000001, tunnelInsideCidrs: ["169.254.10.0/30", "169.254.10.4/30"] } } });
    const c = resourceList(custom.json, "aws_vpn_connection")[0];
    expect([c.tunnel1_inside_cidr, c.tunnel2_inside_cidr]).toEqual(["169.254.10.0/30", "169.254.10.4/30"]);
    const cgw = resourceList(custom.json, "aws_customer_gateway")[0];
    expect(cgw).toMatchObject({ bgp_asn_extended: "4200000001" });
    expect(cgw.bgp_asn).toBeUndefined();
  });

  it("adding a second customer gateway changes no existing resource", () => {
    const before = allResources(json);
    const after = allResources(synthVpn({ customerGateways: { dc1: DC1, dc2: { ipAddress: "198.51.100.20", bgpAsn: 65020 } } }).json);
    for (const [address, body] of before) expect({ address, body: after.get(address) }).toEqual({ address, body });
    const added = [...after.keys()].filter((k) => !before.has(k));
    expect(added.sort()).toEqual([
      expect.stringMatching(/^aws_cloudwatch_log_group\.vpn_logs-dc2/),
      expect.stringMatching(/^aws_customer_gateway\.vpn_cgw-dc2/),
      expect.stringMatching(/^aws_vpn_connection\.vpn_vpn-dc2/),
    ]);
  });
});

describe("SiteToSiteVpn rejects bad input", () => {
  const issues = (config: SiteToSiteVpnConfig, onPrem = ["172.16.0.0/16"]) => configIssues(() => synthVpn(config, onPrem));
  const first = (config: SiteToSiteVpnConfig, onPrem?: string[]) => issues(config, onPrem)[0];
  const gw = (over: Record<string, unknown>) => ({ customerGateways: { dc1: { ...DC1, ...over } } });

  it("an on-premises CIDR that overlaps the VPC", () => {
    expect(first({ customerGateways: { dc1: DC1 } }, ["10.0.128.0/17"])).toMatchObject({
      path: "onPremisesCidrs[0]",
      message: expect.stringMatching(/overlaps the VPC CIDR 10\.0\.0\.0\/16/),
    });
  });

  it("ASNs outside the private ranges, on either side, or equal on both sides", () => {
    expect(first(gw({ bgpAsn: 3356 }))).toMatchObject({ path: "customerGateways.dc1.bgpAsn", message: "is not a private ASN" });
    expect(first(gw({ bgpAsn: 65535 })).path).toBe("customerGateways.dc1.bgpAsn");
    expect(first({ ...gw({}), amazonSideAsn: 7224 })).toMatchObject({
      path: "amazonSideAsn",
      fix: expect.stringMatching(/64512-65534 or 4200000000-4294967294/),
    });
    expect(first(gw({ bgpAsn: 64512 })).message).toMatch(/equals the Amazon-side ASN/);
    expect(first(gw({ bgpAsn: undefined })).message).toMatch(/required for dynamic/);
  });

  it("a customer gateway IP that is private, reserved or malformed", () => {
    expect(first(gw({ ipAddress: "10.1.2.3" })).message).toMatch(/private/);
    expect(first(gw({ ipAddress: "192.168.1.1" })).message).toMatch(/private/);
    expect(first(gw({ ipAddress: "100.64.1.1" })).message).toMatch(/carrier-grade NAT/);
    expect(first(gw({ ipAddress: "127.0.0.1" })).message).toMatch(/reserved, loopback/);
    expect(first(gw({ ipAddress: "240.0.0.1" })).message).toMatch(/reserved/);
    expect(first(gw({ ipAddress: "203.0.113" })).message).toMatch(/not an IPv4 address/);
    expect(first(gw({ ipAddress: "1.2.3.4/32" })).message).toMatch(/not an IPv4 address/);
  });

  it("two customer gateways with the same IP", () => {
    expect(first({ customerGateways: { dc1: DC1, dc2: { ...DC1, bgpAsn: 65020 } } })).toMatchObject({
      path: "customerGateways.dc2.ipAddress",
      message: expect.stringMatching(/already used by customer gateway "dc1"/),
    });
  });

  it("tunnel inside CIDRs that are not a /30 in 169.254.0.0/16, or reserved, or reused", () => {
    expect(first(gw({ tunnelInsideCidrs: ["169.254.10.0/29"] })).message).toMatch(/not a \/30/);
    expect(first(gw({ tunnelInsideCidrs: ["10.0.0.0/30"] })).message).toMatch(/not inside 169\.254\.0\.0\/16/);
    expect(first(gw({ tunnelInsideCidrs: ["169.254.169.252/30"] })).message).toMatch(/reserves/);
    expect(first(gw({ tunnelInsideCidrs: ["169.254.2.0/30"] })).message).toMatch(/reserves/);
    expect(first(gw({ tunnelInsideCidrs: ["169.254.10.0/30", "169.254.10.0/30"] })).message).toMatch(/already used by dc1 tunnel 1/);
  });

  it("static routing with no routes, and static routes under dynamic routing", () => {
    expect(first({ routing: "static", customerGateways: { dc1: { ipAddress: "203.0.113.10" } } }, [])).toMatchObject({
      path: "customerGateways.dc1.staticRoutes",
      message: expect.stringMatching(/static routing with no routes/),
    });
    expect(first(gw({ staticRoutes: ["172.16.0.0/16"] })).message).toMatch(/routing is dynamic/);
  });

  it("no customer gateway, and unsupported log retention", () => {
    expect(first({ customerGateways: {} }).path).toBe("customerGateways");
    expect(first({ ...gw({}), logs: { retentionDays: 2 } }).path).toBe("logs.retentionDays");
  });
});

describe("hybrid connectivity in the environments", () => {
  const synthesized = new Map(ENVIRONMENTS.map((e) => [e.name, environmentJson(e.name)]));
  // Every configured environment with a VPN (staging and prod today).
  const withVpn = ENVIRONMENTS.filter((e) => e.vpn).map((e) => [e.name, e] as const);

  it("staging and prod have a VPN", () => {
    expect(withVpn.map(([name]) => name)).toEqual(expect.arrayContaining(["staging", "prod"]));
  });

  it.each(withVpn)("%s: gateway, customer gateways, hardened and logged connections", (name, env) => {
    const json = synthesized.get(name)!;
    expect(resourceList(json, "aws_vpn_gateway")).toHaveLength(1);
    const peers = Object.values(env.vpn!.customerGateways);
    expect(resourceList(json, "aws_customer_gateway")).toEqual(
      expect.arrayContaining(peers.map((p) => expect.objectContaining({ ip_address: p.ipAddress, bgp_asn: String(p.bgpAsn) }))),
    );
    expect(resourceList(json, "aws_customer_gateway")).toHaveLength(peers.length);
    const connections = resourceList(json, "aws_vpn_connection");
    expect(connections).toHaveLength(peers.length);
    for (const c of connections) {
      expect(c).toMatchObject({ tunnel1_ike_versions: ["ikev2"], tunnel2_ike_versions: ["ikev2"], tunnel1_dpd_timeout_action: "restart" });
      expect((c.tunnel1_log_options as { cloudwatch_log_options: { log_enabled: boolean } }).cloudwatch_log_options.log_enabled).toBe(true);
    }
  });

  // A learned route into a subnet whose NACL drops on-premises traffic is a black hole: every table
  // that learns the VPN's routes must belong to subnets whose NACL admits the ranges both ways.
  it.each(withVpn)("%s: on-premises routes reach exactly the tiers whose NACLs admit on-premises ranges", (name, env) => {
    const model = buildModel(synthesized.get(name)! as TfJsonShape);
    const resolved = resolveEnvironment(env);
    const onPrem = resolved.onPremisesCidrs;
    const propagated: readonly string[] = resolved.vpn?.propagateToTiers ?? [];
    const https = { protocol: "tcp" as const, from: 443, to: 443 };
    const learning = new Set<string>();
    for (const rt of model.routeTables) {
      const admits = rt.subnets.every((address) => {
        const nacl = model.nacls.find((n) => n.subnets.includes(address));
        return onPrem.every((cidr) => naclVerdict(nacl, false, https, cidr).allow && naclVerdict(nacl, true, https, cidr).allow);
      });
      if (rt.propagatingVgws.length > 0) {
        learning.add(rt.tier!);
        expect({ table: rt.address, admits }).toEqual({ table: rt.address, admits: true });
      }
    }
    expect([...learning].sort()).toEqual([...propagated].sort());
    const matrix = analyzeReachability(model).matrix;
    for (const tier of ["private", "isolated", "training"] as const) {
      if (!matrix[tier] || propagated.includes(tier)) continue;
      expect({ tier, ...matrix[tier]["on-premises"] }).toMatchObject({ tier, reachable: false, reason: expect.stringMatching(/neither learns nor routes/) });
    }
  });

  it("propagates to the isolated tier only when its NACL admits on-premises ranges, and says so otherwise", () => {
    expect(environmentIssues({ ...staging, vpn: { ...staging.vpn!, propagateToTiers: ["private", "isolated"] } })).toEqual([
      expect.objectContaining({
        path: "vpn.propagateToTiers[1]",
        value: "isolated",
        message: expect.stringMatching(/isolated NACL drops on-premises traffic/),
        fix: expect.stringMatching(/networkAcls\.onPremisesTiers/),
      }),
    ]);
    const json = synthEnvironment({ ...staging, networkAcls: { onPremisesTiers: ["private", "training", "isolated"] } }).json;
    const isolatedTable = byPath(json, "aws_route_table", "network/rt-isolated").name;
    expect(resourceList(json, "aws_vpn_gateway_route_propagation").map((p) => p.route_table_id)).toContain(ref("aws_route_table", isolatedTable));
  });

  it("dev has no VPN", () => {
    expect(resourceList(synthesized.get("dev")!, "aws_vpn_gateway")).toHaveLength(0);
    expect(dev.vpn).toBeUndefined();
  });

  it("on-premises ranges reach only the groups and ports named in onPremisesAccess, the DNS endpoint and the load balancer", () => {
    const rules = [
      ...resourceList(synthesized.get("prod")!, "aws_vpc_security_group_ingress_rule"),
      ...resourceList(synthesized.get("prod")!, "aws_vpc_security_group_egress_rule"),
    ];
    const onPrem = rules.filter((r) => r.cidr_ipv4 === "172.16.0.0/16").map((r) => `${(r.tags as Record<string, string>).Name} ${r.from_port}`);
    // onPremisesAccess, the Resolver's inbound endpoint (DNS from on-premises) and the inference load balancer (its callerCidrs).
    expect(onPrem.sort()).toEqual([
      "ml-prod-dns-inbound-tcp-53-from-172-16-0-0-16 53",
      "ml-prod-dns-inbound-udp-53-from-172-16-0-0-16 53",
      "ml-prod-inference-lb-ingress-tcp-443-from-172-16-0-0-16 443",
      "ml-prod-notebook-ingress-tcp-443-from-172-16-0-0-16 443",
      "ml-prod-training-egress-tcp-5432-to-172-16-0-0-16 5432",
    ]);
    expect(prod.onPremisesAccess?.map((a) => a.group)).toEqual(["notebook", "training"]);
    expect(prod.inferenceIngress?.callerCidrs).toEqual(["172.16.0.0/16"]);
  });

  it("rejects a VPN without on-premises ranges and access to a group that does not exist", () => {
    const fail = environmentIssues;
    expect(fail({ ...staging, onPremisesCidrs: [], onPremisesAccess: [] })[0]).toMatchObject({
      path: "onPremisesCidrs",
      message: expect.stringMatching(/VPN is configured/),
    });
    expect(fail({ ...staging, onPremisesAccess: [{ group: "notebooks" as never, port: 443, description: "x" }] })[0]).toMatchObject({
      path: "onPremisesAccess[0].group",
    });
    expect(fail({ ...staging, vpn: { customerGateways: { dc1: { ipAddress: "10.9.9.9", bgpAsn: 65010 } } } })[0]).toMatchObject({
      path: "vpn.customerGateways.dc1.ipAddress",
    });
  });
});
