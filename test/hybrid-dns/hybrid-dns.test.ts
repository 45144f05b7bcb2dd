import { Testing } from "cdktf";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53ResolverEndpoint } from "@cdktf/provider-aws/lib/route53-resolver-endpoint";
import { Route53ResolverRule } from "@cdktf/provider-aws/lib/route53-resolver-rule";
import { Route53ResolverRuleAssociation } from "@cdktf/provider-aws/lib/route53-resolver-rule-association";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { checkTerraformLimits } from "../../modules/core/aws-limits";
import { MlVpc, mlVpcPropsSchema, planSubnets, type MlVpcProps } from "../../modules/network";
import { HybridDns, hybridDnsConfigSchema, type HybridDnsConfig } from "../../modules/hybrid-dns";
import { allResources, baseProps, byPath, ref, resourceList, resources, type TfJson } from "../helpers";

const ON_PREM = ["172.16.0.0/16", "192.168.10.0/24"];
const VPC: MlVpcProps = baseProps({ flowLogs: { destination: "none" } });

/** A free address of the private subnet in us-east-1a, as the CIDR plan lays it out. */
const privateSubnet = (az: string, props: MlVpcProps = VPC) =>
  planSubnets(mlVpcPropsSchema.parse(props)).find((s) => s.tier === "private" && s.availabilityZone === az)!.cidr;
const FIXED_IP = privateSubnet("us-east-1a").replace(/\.0\/\d+$/, ".10");

/** Every option set. */
const FULL: HybridDnsConfig = {
  tier: "private",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  inbound: { enabled: true, ipAddresses: { "us-east-1a": FIXED_IP } },
  forwardRules: {
    corp: { domain: "Corp.Example.com.", targets: [{ ip: "172.16.0.10" }, { ip: "172.16.0.11", port: 5353 }] },
  },
  privateZone: {
    name: "ML.internal.example.com",
    records: {
      registry: { type: "A", values: ["10.0.32.10", "10.0.48.10"] },
      "feature-store": { type: "CNAME", values: ["fs.corp.example.com."], ttl: 60 },
    },
  },
};

function synthDns(config: HybridDnsConfig, opts: { onPrem?: string[]; vpc?: MlVpcProps; tags?: Record<string, string> } = {}): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    const network = new MlVpc(scope, "network", opts.vpc ?? VPC);
    new HybridDns(scope, "dns", { network, onPremisesCidrs: opts.onPrem ?? ON_PREM, tags: opts.tags, ...config });
  });
  return { text, json: JSON.parse(text) as TfJson };
}

const subnetRef = (json: TfJson, tier: string, az: string) => ref("aws_subnet", byPath(json, "aws_subnet", `network/subnet-${tier}-${az}`).name);
const idOf = (json: TfJson, type: string, path: string, attr = "id") => ref(type, byPath(json, type, path).name, attr);

describe("HybridDns with every option", () => {
  const { text, json } = synthDns(FULL, { tags: { Team: "ml-platform" } });
  const vpcId = idOf(json, "aws_vpc", "network/vpc");

  it("an inbound endpoint with one address per AZ of the tier, Do53, its own group, the fixed address kept", () => {
    expect(text).toHaveResourceWithProperties(Route53ResolverEndpoint, {
      direction: "INBOUND",
      name: "ml-test-dns-inbound",
      protocols: ["Do53"],
      security_group_ids: [idOf(json, "aws_security_group", "dns/inbound-sg")],
      ip_address: [{ subnet_id: subnetRef(json, "private", "us-east-1a"), ip: FIXED_IP }, { subnet_id: subnetRef(json, "private", "us-east-1b") }],
    });
  });

  it("the inbound group admits TCP and UDP 53 from each on-premises range, and nothing else", () => {
    const sg = idOf(json, "aws_security_group", "dns/inbound-sg");
    const ingress = resourceList(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === sg);
    expect(ingress.map((r) => `${r.ip_protocol} ${r.from_port}-${r.to_port} ${r.cidr_ipv4}`).sort()).toEqual([
      "tcp 53-53 172.16.0.0/16",
      "tcp 53-53 192.168.10.0/24",
      "udp 53-53 172.16.0.0/16",
      "udp 53-53 192.168.10.0/24",
    ]);
    for (const r of ingress) expect(r.description).toMatch(/^DNS queries \((tcp|udp) 53\) from on-premises /);
    expect(resourceList(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === sg)).toEqual([]);
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: "ml-test-dns-inbound", vpc_id: vpcId, revoke_rules_on_delete: true });
  });

  it("an outbound endpoint in the same subnets whose group lets DNS out to each target's address and port only", () => {
    expect(text).toHaveResourceWithProperties(Route53ResolverEndpoint, {
      direction: "OUTBOUND",
      name: "ml-test-dns-outbound",
      protocols: ["Do53"],
      security_group_ids: [idOf(json, "aws_security_group", "dns/outbound-sg")],
      ip_address: [{ subnet_id: subnetRef(json, "private", "us-east-1a") }, { subnet_id: subnetRef(json, "private", "us-east-1b") }],
    });
    const sg = idOf(json, "aws_security_group", "dns/outbound-sg");
    const egress = resourceList(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === sg);
    expect(egress.map((r) => `${r.ip_protocol} ${r.from_port}-${r.to_port} ${r.cidr_ipv4}`).sort()).toEqual([
      "tcp 53-53 172.16.0.10/32",
      "tcp 5353-5353 172.16.0.11/32",
      "udp 53-53 172.16.0.10/32",
      "udp 5353-5353 172.16.0.11/32",
    ]);
    expect(resourceList(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === sg)).toEqual([]);
  });

  it("a FORWARD rule per domain (normalized) through the outbound endpoint, associated with the VPC", () => {
    const rule = byPath(json, "aws_route53_resolver_rule", "dns/rule-corp");
    expect(text).toHaveResourceWithProperties(Route53ResolverRule, {
      name: "ml-test-forward-corp",
      domain_name: "corp.example.com",
      rule_type: "FORWARD",
      resolver_endpoint_id: idOf(json, "aws_route53_resolver_endpoint", "dns/outbound"),
      target_ip: [
        { ip: "172.16.0.10", port: 53 },
        { ip: "172.16.0.11", port: 5353 },
      ],
    });
    expect(text).toHaveResourceWithProperties(Route53ResolverRuleAssociation, {
      name: "ml-test-forward-corp",
      resolver_rule_id: ref("aws_route53_resolver_rule", rule.name),
      vpc_id: vpcId,
    });
  });

  it("a private zone associated with the VPC, with A and CNAME records under it", () => {
    expect(text).toHaveResourceWithProperties(Route53Zone, { name: "ml.internal.example.com", vpc: [{ vpc_id: vpcId }] });
    const zoneId = idOf(json, "aws_route53_zone", "dns/zone", "zone_id");
    expect(text).toHaveResourceWithProperties(Route53Record, {
      zone_id: zoneId,
      name: "registry.ml.internal.example.com",
      type: "A",
      ttl: 300,
      records: ["10.0.32.10", "10.0.48.10"],
    });
    expect(text).toHaveResourceWithProperties(Route53Record, {
      zone_id: zoneId,
      name: "feature-store.ml.internal.example.com",
      type: "CNAME",
      ttl: 60,
      records: ["fs.corp.example.com"],
    });
  });

  it("tags every taggable resource with a Name and the extra tags", () => {
    const taggable = ["aws_route53_resolver_endpoint", "aws_route53_resolver_rule", "aws_route53_zone", "aws_security_group"];
    const ours = [...allResources(json)].filter(([address]) => address.includes(".dns_"));
    for (const [address, body] of ours) {
      const type = address.split(".")[0];
      if (!taggable.includes(type) && !type.startsWith("aws_vpc_security_group_")) continue;
      expect({ address, tags: body.tags }).toEqual({ address, tags: { Team: "ml-platform", Name: expect.stringMatching(/^ml-test-/) } });
    }
    expect(ours.length).toBeGreaterThan(10);
  });

  it("stays within AWS's name and tag limits", () => {
    expect(checkTerraformLimits(json)).toEqual([]);
  });
});

describe("HybridDns defaults", () => {
  const onlyRule: HybridDnsConfig = { forwardRules: { corp: { domain: "corp.example.com", targets: [{ ip: "172.16.0.10" }] } } };

  it("resolves every default in the schema", () => {
    expect(hybridDnsConfigSchema.parse({})).toEqual({ tier: "private", inbound: { enabled: true }, forwardRules: {} });
    expect(hybridDnsConfigSchema.parse({ privateZone: { name: "ml.example.com", records: { r: { type: "A", values: [] } } } }).privateZone).toEqual({
      name: "ml.example.com",
      records: { r: { type: "A", values: [], ttl: 300 } },
    });
  });

  it("inbound on, private tier, every AZ of the tier, port 53, no zone", () => {
    const { json } = synthDns(onlyRule);
    const endpoints = resourceList(json, "aws_route53_resolver_endpoint");
    expect(endpoints.map((e) => e.direction).sort()).toEqual(["INBOUND", "OUTBOUND"]);
    for (const e of endpoints) {
      expect(e.ip_address).toEqual([{ subnet_id: subnetRef(json, "private", "us-east-1a") }, { subnet_id: subnetRef(json, "private", "us-east-1b") }]);
    }
    expect(resourceList(json, "aws_route53_resolver_rule")[0].target_ip).toEqual([{ ip: "172.16.0.10", port: 53 }]);
    expect(resources(json, "aws_route53_zone")).toEqual({});
  });

  it("inbound disabled: no inbound endpoint or group; no rules: no outbound endpoint or group", () => {
    const noInbound = synthDns({ ...onlyRule, inbound: { enabled: false } }).json;
    expect(resourceList(noInbound, "aws_route53_resolver_endpoint").map((e) => e.direction)).toEqual(["OUTBOUND"]);
    expect(resourceList(noInbound, "aws_security_group").map((g) => g.name)).toEqual(["ml-test-dns-outbound"]);
    const noRules = synthDns({}).json;
    expect(resourceList(noRules, "aws_route53_resolver_endpoint").map((e) => e.direction)).toEqual(["INBOUND"]);
    expect(resourceList(noRules, "aws_security_group").map((g) => g.name)).toEqual(["ml-test-dns-inbound"]);
    expect(resources(noRules, "aws_route53_resolver_rule")).toEqual({});
    const zoneOnly = synthDns({ inbound: { enabled: false }, privateZone: { name: "ml.example.com" } }).json;
    expect(Object.keys(zoneOnly.resource!).filter((t) => /^aws_(route53_|security_group$|vpc_security_group_)/.test(t))).toEqual(["aws_route53_zone"]);
  });

  it("another tier and a subset of its AZs", () => {
    const vpc = baseProps({ flowLogs: { destination: "none" }, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] });
    const { json } = synthDns({ tier: "isolated", availabilityZones: ["us-east-1c", "us-east-1a"] }, { vpc });
    const inbound = resourceList(json, "aws_route53_resolver_endpoint")[0];
    expect(inbound.ip_address).toEqual([{ subnet_id: subnetRef(json, "isolated", "us-east-1a") }, { subnet_id: subnetRef(json, "isolated", "us-east-1c") }]);
  });
});

describe("HybridDns growth: adding an item changes no existing resource", () => {
  /** Existing resources, with the attributes that may change in place named. */
  const expectUnchanged = (before: TfJson, after: TfJson, allowed: (address: string) => string[] = () => []) => {
    const a = allResources(after);
    for (const [address, body] of allResources(before)) {
      const changed = allowed(address);
      const strip = (b: Record<string, unknown> | undefined) => b && Object.fromEntries(Object.entries(b).filter(([k]) => !changed.includes(k)));
      expect({ address, body: strip(a.get(address)) }).toEqual({ address, body: strip(body) });
    }
    return [...a.keys()].filter((k) => !allResources(before).has(k)).sort();
  };
  const base = synthDns(FULL).json;

  it("a forwarding rule (with a new target) adds its rule, association and egress rules", () => {
    const after = synthDns({ ...FULL, forwardRules: { ...FULL.forwardRules, lab: { domain: "lab.example.net", targets: [{ ip: "192.168.10.53" }] } } }).json;
    expect(expectUnchanged(base, after)).toEqual([
      expect.stringMatching(/^aws_route53_resolver_rule\.dns_rule-lab_/),
      expect.stringMatching(/^aws_route53_resolver_rule_association\.dns_rule-lab-vpc_/),
      expect.stringMatching(/^aws_vpc_security_group_egress_rule\.dns_outbound-tcp-53-to-192-168-10-53-32_/),
      expect.stringMatching(/^aws_vpc_security_group_egress_rule\.dns_outbound-udp-53-to-192-168-10-53-32_/),
    ]);
  });

  it("the first forwarding rule adds the outbound endpoint and its group", () => {
    const { forwardRules: _rules, ...withoutRules } = FULL;
    const before = synthDns(withoutRules).json;
    const added = expectUnchanged(before, base);
    expect(added.filter((a) => a.startsWith("aws_route53_resolver_endpoint") || a.startsWith("aws_security_group."))).toEqual([
      expect.stringMatching(/^aws_route53_resolver_endpoint\.dns_outbound_/),
      expect.stringMatching(/^aws_security_group\.dns_outbound-sg_/),
    ]);
  });

  it("a record adds one record; an on-premises range adds its two ingress rules", () => {
    const zone = FULL.privateZone!;
    const withRecord = synthDns({
      ...FULL,
      privateZone: { ...zone, records: { ...zone.records, "api.registry": { type: "A", values: ["10.0.32.11"] } } },
    }).json;
    expect(expectUnchanged(base, withRecord)).toEqual([expect.stringMatching(/^aws_route53_record\.dns_record-api_registry_/)]);
    const withRange = synthDns(FULL, { onPrem: [...ON_PREM, "192.168.20.0/24"] }).json;
    expect(expectUnchanged(base, withRange)).toEqual([
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.dns_inbound-tcp-53-from-192-168-20-0-24_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.dns_inbound-udp-53-from-192-168-20-0-24_/),
    ]);
  });

  it("an AZ adds one address to each endpoint, updated in place, and changes nothing else", () => {
    const vpc = baseProps({ flowLogs: { destination: "none" }, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] });
    const before = synthDns({ ...FULL, availabilityZones: ["us-east-1a", "us-east-1b"] }, { vpc }).json;
    const after = synthDns({ ...FULL, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] }, { vpc }).json;
    const endpoints = (address: string) => (address.startsWith("aws_route53_resolver_endpoint.") ? ["ip_address"] : []);
    expect(expectUnchanged(before, after, endpoints)).toEqual([]);
    for (const [name, body] of Object.entries(resources(after, "aws_route53_resolver_endpoint"))) {
      const old = resources(before, "aws_route53_resolver_endpoint")[name].ip_address as unknown[];
      expect(body.ip_address).toEqual([...old, { subnet_id: subnetRef(after, "private", "us-east-1c") }]);
    }
  });
});
