/**
 * DNS through the NACLs: queries and replies, both ways, for the endpoints'
 * tier, judged by the one NACL evaluator on TierNetworkAcls' rules and on the
 * synthesized aws_network_acl_rule resources. And the check the environment
 * loader runs without building anything.
 */
import { Testing } from "cdktf";
import { DEFAULT_ON_PREMISES_TIERS, MlVpc, mlVpcPropsSchema, plannedNetwork, selectSubnets, type MlVpcProps, type SubnetTier } from "../../modules/network";
import { TierNetworkAcls, evaluateNacl, naclDecision, networkAclsConfigSchema, planNetworkAcls, type NaclEntry } from "../../modules/network-acls";
import { HybridDns, hybridDnsConfigSchema, hybridDnsNaclLegs, validateHybridDns, type HybridDnsConfig } from "../../modules/hybrid-dns";
import { baseProps, byPath, ref, resourceList, type TfJson } from "../helpers";

const ON_PREM = ["172.16.0.0/16", "192.168.10.0/24"];
/** Every tier in two AZs, so the endpoints fit in any of them. */
const VPC: MlVpcProps = baseProps({ flowLogs: { destination: "none" }, defaultNetworkAcl: "denyAll" });
const TWO_AZ_VPC: MlVpcProps = { ...VPC, tiers: { ...VPC.tiers, training: { prefixLength: 20 } } };
const DNS = (tier: SubnetTier): HybridDnsConfig => ({
  tier,
  forwardRules: {
    corp: { domain: "corp.example.com", targets: [{ ip: "172.16.0.10" }, { ip: "192.168.10.53", port: 5353 }] },
  },
});

function build(tier: SubnetTier, onPremisesTiers?: SubnetTier[]) {
  let nacls: TierNetworkAcls | undefined;
  let dns: HybridDns | undefined;
  const text = Testing.synthScope((scope) => {
    const network = new MlVpc(scope, "network", TWO_AZ_VPC);
    nacls = new TierNetworkAcls(scope, "nacls", { network, onPremisesCidrs: ON_PREM, onPremisesTiers });
    dns = new HybridDns(scope, "dns", { network, onPremisesCidrs: ON_PREM, ...DNS(tier) });
  });
  return { json: JSON.parse(text) as TfJson, nacls: nacls!, dns: dns! };
}

/** The tier's NACL entries as synthesized, read back for the evaluator. */
function synthesizedEntries(json: TfJson, tier: SubnetTier): NaclEntry[] {
  const acl = ref("aws_network_acl", byPath(json, "aws_network_acl", `nacls/${tier}`).name);
  return resourceList(json, "aws_network_acl_rule")
    .filter((r) => r.network_acl_id === acl)
    .map((r) => ({
      ruleNumber: r.rule_number as number,
      egress: r.egress as boolean,
      action: r.rule_action as "allow" | "deny",
      cidr: r.cidr_block as string,
      range:
        r.protocol === "-1"
          ? { protocol: "all" as const, from: 0, to: 65535 }
          : { protocol: r.protocol as "tcp" | "udp" | "icmp", from: r.from_port as number, to: r.to_port as number },
    }));
}

describe("HybridDns and TierNetworkAcls", () => {
  it.each([...DEFAULT_ON_PREMISES_TIERS])("in the %s tier (a default on-premises tier), every query and reply passes both ways", (tier) => {
    const { json, nacls, dns } = build(tier);
    const legs = hybridDnsNaclLegs(dns.config, ON_PREM);
    // Inbound: 2 ranges x 2 protocols x (query, reply); outbound: 2 targets x 2 protocols x (query, reply).
    expect(legs).toHaveLength(16);
    expect(legs.map((l) => l.leg)).toEqual(
      expect.arrayContaining([
        "query in from 172.16.0.0/16 to the inbound endpoint (udp 53)",
        "reply out from the inbound endpoint to 172.16.0.0/16 (tcp 1024-65535)",
        "query out from the outbound endpoint to 192.168.10.53 (udp 5353)",
        "reply in from 172.16.0.10 to the outbound endpoint (tcp 1024-65535)",
      ]),
    );
    const entries = synthesizedEntries(json, tier);
    expect(entries.length).toBeGreaterThan(0);
    for (const { leg, query } of legs) {
      expect({ leg, spec: naclDecision(nacls.rules, query).action }).toEqual({ leg, spec: "allow" });
      expect({ leg, synthesized: evaluateNacl(entries, query).action }).toEqual({ leg, synthesized: "allow" });
    }
  });

  it("a tier whose NACL does not admit on-premises ranges drops every leg, and validation says so", () => {
    const { json, nacls, dns } = build("private", ["training"]);
    const legs = hybridDnsNaclLegs(dns.config, ON_PREM);
    const entries = synthesizedEntries(json, "private");
    expect(legs.filter((l) => evaluateNacl(entries, l.query).action === "deny")).toEqual(legs);
    const network = plannedNetwork(mlVpcPropsSchema.parse(TWO_AZ_VPC));
    const issues = validateHybridDns(dns.config, network, ON_PREM, { naclRules: nacls.rules });
    expect(issues).toHaveLength(legs.length);
    expect(issues[0]).toMatchObject({
      path: "tier",
      value: "private",
      message: "is a tier whose NACL blocks the query in from 172.16.0.0/16 to the inbound endpoint (udp 53), decided by the default deny",
      fix: expect.stringMatching(/add "private" to the NACLs' onPremisesTiers \(networkAcls\.onPremisesTiers/),
    });
  });

  it("a deny rule of your own in front of DNS is named in the issue", () => {
    const network = plannedNetwork(mlVpcPropsSchema.parse(TWO_AZ_VPC));
    const tiers = selectSubnets(network).tiers;
    const acls = networkAclsConfigSchema.parse({
      extraRules: [{ tier: "private", egress: false, ruleNumber: 90, protocol: "udp", port: 53, cidr: "172.16.0.0/16", action: "deny" }],
    });
    const issues = validateHybridDns(hybridDnsConfigSchema.parse(DNS("private")), network, ON_PREM, {
      naclRules: planNetworkAcls(acls, tiers, network.vpcCidrs, ON_PREM),
    });
    expect(issues.map((i) => i.message)).toEqual([
      "is a tier whose NACL blocks the query in from 172.16.0.0/16 to the inbound endpoint (udp 53), decided by rule 90 (private-ingress-rule-90)",
    ]);
  });
});

describe("validateHybridDns for the environment loader (nothing built)", () => {
  const network = plannedNetwork(mlVpcPropsSchema.parse(TWO_AZ_VPC));
  const tiers = selectSubnets(network).tiers;
  const naclRules = (onPremisesTiers?: SubnetTier[]) => planNetworkAcls(networkAclsConfigSchema.parse({ onPremisesTiers }), tiers, network.vpcCidrs, ON_PREM);

  it("accepts the default tiers and rejects one the NACLs keep on-premises traffic out of", () => {
    for (const tier of DEFAULT_ON_PREMISES_TIERS) {
      expect(validateHybridDns(hybridDnsConfigSchema.parse(DNS(tier)), network, ON_PREM, { naclRules: naclRules() })).toEqual([]);
    }
    const isolated = validateHybridDns(hybridDnsConfigSchema.parse(DNS("isolated")), network, ON_PREM, { naclRules: naclRules() });
    expect(new Set(isolated.map((i) => i.path))).toEqual(new Set(["tier"]));
    expect(validateHybridDns(hybridDnsConfigSchema.parse(DNS("isolated")), network, ON_PREM, { naclRules: naclRules(["private", "isolated"]) })).toEqual([]);
  });

  it("checks placement on the planned network", () => {
    const oneAz = plannedNetwork(mlVpcPropsSchema.parse(VPC));
    expect(validateHybridDns(hybridDnsConfigSchema.parse(DNS("training")), oneAz, ON_PREM)).toEqual([
      expect.objectContaining({ path: "tier", message: expect.stringMatching(/1 AZ with a training subnet/) }),
    ]);
  });
});
