import { Testing } from "cdktf";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { MlVpc } from "../../modules/network";
import {
  TierNetworkAcls,
  findBlockedFlows,
  naclDecision,
  planNetworkAcls,
  networkAclsConfigSchema,
  type TierNetworkAclsConfig,
} from "../../modules/network-acls";
import { GROUP_TIERS, buildRuleMatrix, securityGroupsConfigSchema } from "../../modules/security-groups";
import { ENVIRONMENTS, MlPlatformStack, dev, prod, type EnvironmentConfig } from "../../environments";
import { allResources, baseProps, byPath, ref, resourceList, resources, synthEnvironment, type TfJson, configIssues, environmentJson } from "../helpers";
import { buildModel } from "../../analysis/model";
import { analyzeReachability, naclVerdict } from "../../analysis/reachability";
import type { TfJsonShape } from "../../analysis/tfjson";

function synthAcls(config: TierNetworkAclsConfig = {}, onPremisesCidrs: string[] = []): TfJson {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" }, defaultNetworkAcl: "denyAll" }));
      new TierNetworkAcls(scope, "nacl", { network, onPremisesCidrs, ...config });
    }),
  ) as TfJson;
}

/** Rules of one tier as `ingress 100 allow all 10.0.0.0/16`. */
function aclTable(json: TfJson, tier: string): string[] {
  const acl = byPath(json, "aws_network_acl", `nacl/${tier}`).name;
  return resourceList(json, "aws_network_acl_rule")
    .filter((r) => r.network_acl_id === ref("aws_network_acl", acl))
    .map(
      (r) =>
        `${r.egress ? "egress" : "ingress"} ${r.rule_number} ${r.rule_action} ${r.protocol === "-1" ? "all" : r.protocol === "icmp" ? `icmp ${r.icmp_type}/${r.icmp_code}` : `${r.protocol} ${r.from_port}-${r.to_port}`} ${r.cidr_block}`,
    )
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

describe("TierNetworkAcls: layout", () => {
  const json = synthAcls({}, ["172.16.0.0/16"]);

  it("creates one NACL per tier and associates every subnet of the tier with it", () => {
    expect(
      resourceList(json, "aws_network_acl")
        .map((a) => (a.tags as Record<string, string>).Name)
        .sort(),
    ).toEqual(["ml-test-isolated", "ml-test-private", "ml-test-public", "ml-test-training"]);
    const assocs = resourceList(json, "aws_network_acl_association");
    const subnets = resources(json, "aws_subnet");
    expect(assocs).toHaveLength(Object.keys(subnets).length);
    for (const [name, subnet] of Object.entries(subnets)) {
      const tier = (subnet.tags as Record<string, string>).Tier;
      const mine = assocs.filter((a) => a.subnet_id === ref("aws_subnet", name));
      expect(mine).toEqual([expect.objectContaining({ network_acl_id: ref("aws_network_acl", byPath(json, "aws_network_acl", `nacl/${tier}`).name) })]);
    }
  });

  it("public: 80/443 in from anywhere, ephemeral replies, the VPC both ways, HTTPS out", () => {
    expect(aclTable(json, "public")).toEqual([
      "egress 100 allow all 10.0.0.0/16",
      "egress 300 allow tcp 1024-65535 0.0.0.0/0",
      "egress 310 allow icmp 3/4 0.0.0.0/0",
      "egress 400 allow tcp 443-443 0.0.0.0/0",
      "ingress 100 allow all 10.0.0.0/16",
      "ingress 300 allow tcp 1024-65535 0.0.0.0/0",
      "ingress 310 allow icmp 3/4 0.0.0.0/0",
      "ingress 400 allow tcp 80-80 0.0.0.0/0",
      "ingress 410 allow tcp 443-443 0.0.0.0/0",
    ]);
  });

  it("private and training: the VPC and on-premises both ways, replies to instance ports (not 22 or 3389) in, HTTPS out", () => {
    for (const tier of ["private", "training"]) {
      expect(aclTable(json, tier)).toEqual([
        "egress 100 allow all 10.0.0.0/16",
        "egress 200 allow all 172.16.0.0/16",
        "egress 310 allow icmp 3/4 0.0.0.0/0",
        "egress 400 allow tcp 443-443 0.0.0.0/0",
        "ingress 100 allow all 10.0.0.0/16",
        "ingress 200 allow all 172.16.0.0/16",
        "ingress 300 allow tcp 32768-65535 0.0.0.0/0",
        "ingress 310 allow icmp 3/4 0.0.0.0/0",
      ]);
    }
  });

  it("isolated: the VPC CIDR only, both ways", () => {
    expect(aclTable(json, "isolated")).toEqual(["egress 100 allow all 10.0.0.0/16", "ingress 100 allow all 10.0.0.0/16"]);
  });

  it("numbers rules in blocks of 100, ten apart, leaving room for your own", () => {
    const numbers = resourceList(json, "aws_network_acl_rule").map((r) => r.rule_number as number);
    for (const n of numbers) expect(n % 10).toBe(0);
    const withExtra = synthAcls({ extraRules: [{ tier: "private", egress: true, ruleNumber: 150, port: 5432, cidr: "192.168.10.0/24" }] });
    expect(aclTable(withExtra, "private")).toContain("egress 150 allow tcp 5432-5432 192.168.10.0/24");
  });

  it("the default NACL keeps no rules when every subnet has its own", () => {
    const [acl] = resourceList(json, "aws_default_network_acl");
    expect(acl.ingress).toEqual([]);
    expect(acl.egress).toEqual([]);
  });

  it("adding an on-premises range or a rule changes no existing resource", () => {
    const before = allResources(synthAcls({}, ["172.16.0.0/16"]));
    const after = allResources(
      synthAcls({ extraRules: [{ tier: "public", egress: false, ruleNumber: 450, port: 8443, cidr: "0.0.0.0/0" }] }, ["172.16.0.0/16", "192.168.0.0/16"]),
    );
    for (const [address, body] of before) expect(after.get(address)).toEqual(body);
    expect(after.size).toBeGreaterThan(before.size);
  });
});

describe("one NACL evaluation", () => {
  // The synth-time proof reads rule specs, the report reads Terraform JSON: both go through
  // evaluateNacl, so for any traffic they must agree.
  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: the proof's decision and the report's verdict agree for every tier, traffic and peer", (name) => {
    const env = ENVIRONMENTS.find((e) => e.name === name)!;
    const stack = new MlPlatformStack(Testing.app(), env);
    const model = buildModel(environmentJson(name) as TfJsonShape);
    const traffic = [
      { protocol: "tcp" as const, from: 22, to: 22 },
      { protocol: "tcp" as const, from: 443, to: 443 },
      { protocol: "udp" as const, from: 53, to: 53 },
      { protocol: "tcp" as const, from: 33000, to: 33000 },
      { protocol: "icmp" as const, from: 3, to: 4 },
      { protocol: "icmp" as const, from: 8, to: 0 },
      { protocol: "all" as const, from: 0, to: 65535 },
    ];
    const peers = [env.network.cidr, "172.16.4.0/24", "198.51.100.7/32", "0.0.0.0/0", "2001:db8::/64"];
    let compared = 0;
    for (const nacl of model.nacls.filter((n) => n.tier)) {
      for (const egress of [false, true]) {
        for (const range of traffic) {
          for (const peerCidr of peers) {
            const proof = naclDecision(stack.networkAcls.rules, { tier: nacl.tier as never, egress, range, peerCidr }).action === "allow";
            const report = naclVerdict(nacl, egress, range, peerCidr).allow;
            expect({ tier: nacl.tier, egress, range, peerCidr, report }).toEqual({ tier: nacl.tier, egress, range, peerCidr, report: proof });
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});

describe("path-MTU discovery", () => {
  // ICMP type 3 code 4 ("fragmentation needed") must pass, inbound and outbound ("Path MTU Discovery",
  // VPC user guide), wherever traffic crosses a smaller MTU: with the internet on tiers that send
  // through NAT or the internet gateway, with the VPC, and with the on-premises ranges over the VPN
  // (tunnel MTU about 1,400 bytes).
  const fragNeeded = { protocol: "icmp" as const, from: 3, to: 4 };
  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: every tier admits fragmentation-needed from wherever its replies come from", (name) => {
    const env = ENVIRONMENTS.find((e) => e.name === name)!;
    const model = buildModel(environmentJson(name) as TfJsonShape);
    const matrix = analyzeReachability(model).matrix;
    const vpc = env.network.cidr;
    for (const subnet of model.subnets) {
      const nacl = model.nacls.find((n) => n.subnets.includes(subnet.address));
      const admits = (peer: string) => naclVerdict(nacl, false, fragNeeded, peer).allow && naclVerdict(nacl, true, fragNeeded, peer).allow;
      expect({ subnet: subnet.name, from: "vpc", admits: admits(vpc) }).toEqual({ subnet: subnet.name, from: "vpc", admits: true });
      if (matrix[subnet.tier!]["internet (outbound)"].reachable || subnet.tier === "public") {
        expect({ subnet: subnet.name, from: "internet", admits: admits("198.51.100.7/32") }).toEqual({ subnet: subnet.name, from: "internet", admits: true });
      }
      if (matrix[subnet.tier!]["on-premises"].reachable) {
        for (const cidr of env.onPremisesCidrs ?? [])
          expect({ subnet: subnet.name, from: cidr, admits: admits(cidr) }).toEqual({ subnet: subnet.name, from: cidr, admits: true });
      }
      // Only that one message: echo requests from the internet stay out.
      expect(naclVerdict(nacl, false, { protocol: "icmp", from: 8, to: 0 }, "198.51.100.7/32").allow).toBe(false);
    }
  });

  it("synthesizes as icmp rules with type 3 and code 4, inbound and outbound", () => {
    const json = synthAcls();
    const inbound = byPath(json, "aws_network_acl_rule", "nacl/private-ingress-icmp-3-4-from-0-0-0-0-0").body;
    expect(inbound).toMatchObject({
      protocol: "icmp",
      icmp_type: 3,
      icmp_code: 4,
      egress: false,
      rule_action: "allow",
      rule_number: 310,
      cidr_block: "0.0.0.0/0",
    });
    const outbound = byPath(json, "aws_network_acl_rule", "nacl/private-egress-icmp-3-4-to-0-0-0-0-0").body;
    expect(outbound).toMatchObject({ protocol: "icmp", icmp_type: 3, icmp_code: 4, egress: true, rule_number: 310 });
  });

  it("extra ICMP rules take a type and code, never ports", () => {
    const json = synthAcls({ extraRules: [{ tier: "isolated", egress: false, ruleNumber: 150, protocol: "icmp", icmp: { type: 0 }, cidr: "10.0.0.0/8" }] });
    expect(aclTable(json, "isolated")).toContain("ingress 150 allow icmp 0/-1 10.0.0.0/8");
    const issues = configIssues(() =>
      synthAcls({ extraRules: [{ tier: "isolated", egress: false, ruleNumber: 150, protocol: "icmp", port: 3, cidr: "10.0.0.0/8" }] }),
    );
    expect(issues[0]).toMatchObject({ path: "extraRules[0].port", message: expect.stringMatching(/ICMP has no ports/) });
  });
});

describe("TierNetworkAcls rejects bad input", () => {
  const issues = (config: TierNetworkAclsConfig) => configIssues(() => synthAcls(config));
  it("rule numbers that collide with built-in rules or fall outside 1-32766", () => {
    expect(issues({ extraRules: [{ tier: "private", egress: true, ruleNumber: 100, port: 22, cidr: "10.1.0.0/16" }] })[0]).toMatchObject({
      path: "extraRules[0].ruleNumber",
      message: expect.stringMatching(/already used by rule private-egress-all-to-10-0-0-0-16/),
    });
    expect(issues({ extraRules: [{ tier: "private", egress: true, ruleNumber: 40000, port: 22, cidr: "10.1.0.0/16" }] })[0].path).toBe(
      "extraRules[0].ruleNumber",
    );
  });
  it("bad ports, CIDRs and tiers", () => {
    expect(issues({ publicIngressPorts: [70000] })[0].path).toBe("publicIngressPorts[0]");
    expect(issues({ extraRules: [{ tier: "private", egress: false, ruleNumber: 150, port: { from: 9, to: 1 }, cidr: "10.1.0.0/16" }] })[0].path).toBe(
      "extraRules[0].port",
    );
    expect(issues({ extraRules: [{ tier: "private", egress: false, ruleNumber: 150, port: 22, cidr: "10.1.0.0" }] })[0].path).toBe("extraRules[0].cidr");
  });
  it("more rules than the NACL quota allows", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({
      tier: "isolated" as const,
      egress: false,
      ruleNumber: 1000 + i,
      port: 5432,
      cidr: `192.168.${i}.0/24`,
    }));
    expect(issues({ extraRules: many })[0]).toMatchObject({ path: "maxRulesPerDirection", message: expect.stringMatching(/isolated NACL's 21 inbound rules/) });
  });
});

describe("NACLs never block what the security groups allow", () => {
  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: every allowed flow passes both NACLs, both ways, replies included", (name) => {
    // Building the stack is enough: the rules are specs, no rendering needed.
    const stack = new MlPlatformStack(
      Testing.app(),
      ENVIRONMENTS.find((e) => e.name === name)!,
    );
    const blocked = findBlockedFlows(stack.securityGroups.rules, stack.networkAcls.rules, stack.network.subnets, GROUP_TIERS);
    expect(blocked).toEqual([]);
    // The check covered real flows: group-to-group, prefix lists, and (where opted in) the internet.
    expect(stack.securityGroups.rules.some((r) => r.peer.kind === "group" && r.group !== (r.peer as { name: string }).name)).toBe(true);
    expect(stack.securityGroups.rules.some((r) => r.peer.kind === "prefixList")).toBe(true);
  });

  // dev's network, read from its configuration: its CIDR and its first two AZs.
  const devCidr = dev.network.cidr;
  const [devAz1, devAz2] = dev.network.availabilityZones;

  it("the check finds a NACL that drops replies, and a stack with one fails to synthesize", () => {
    const sg = buildRuleMatrix(securityGroupsConfigSchema.parse({ internetEgress: ["notebook"] }), [devCidr]);
    const stack = new MlPlatformStack(Testing.app(), dev);
    const acls = planNetworkAcls(networkAclsConfigSchema.parse({}), ["public", "private", "isolated", "training"], [devCidr], []);
    const noReplies = acls.filter((r) => !(r.tier === "private" && !r.egress && r.ruleNumber === 300));
    const blocked = findBlockedFlows(sg, noReplies, stack.network.subnets, GROUP_TIERS);
    expect(blocked.map((b) => b.leg)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^reply into private ${devAz1} from s3`)),
        expect.stringMatching(new RegExp(`^reply into private ${devAz2} from the internet|^reply into private ${devAz2} from 198`)),
      ]),
    );

    const denyHttps: EnvironmentConfig = {
      ...prod,
      networkAcls: { extraRules: [{ tier: "private", egress: true, ruleNumber: 50, port: 443, cidr: "0.0.0.0/0", action: "deny" }] },
    };
    expect(() => synthEnvironment(denyHttps)).toThrow(
      new RegExp(`environment "prod"[\\s\\S]*networkAcls: blocks the request tcp 443 out of private ${prod.network.availabilityZones[0]} to s3`),
    );
  });

  it("replies keep the request's protocol: a UDP flow needs UDP replies admitted, an ICMP flow ICMP", () => {
    const stack = new MlPlatformStack(Testing.app(), dev);
    const udp = buildRuleMatrix(
      securityGroupsConfigSchema.parse({
        extraRules: [{ group: "notebook", direction: "egress", protocol: "udp", port: 123, cidr: "198.51.100.0/24", description: "NTP" }],
      }),
      [devCidr],
    );
    const acls = planNetworkAcls(
      networkAclsConfigSchema.parse({ extraRules: [{ tier: "private", egress: true, ruleNumber: 150, protocol: "udp", port: 123, cidr: "198.51.100.0/24" }] }),
      ["public", "private", "isolated", "training"],
      [devCidr],
      [],
    );
    const legs = findBlockedFlows(udp, acls, stack.network.subnets, GROUP_TIERS).filter((b) => b.rule.includes("udp-123"));
    // The request passes rule 150; the reply (UDP to the client's ephemeral port) finds only the TCP rule 300.
    expect(legs.map((b) => b.leg)).toEqual([
      expect.stringMatching(new RegExp(`^reply into private ${devAz1} from 198\\.51\\.100\\.0/24`)),
      expect.stringMatching(new RegExp(`^reply into private ${devAz2}`)),
    ]);
  });

  it("decides like AWS: lowest matching rule number wins, no match denies", () => {
    const rules = planNetworkAcls(
      networkAclsConfigSchema.parse({ extraRules: [{ tier: "private", egress: true, ruleNumber: 50, port: 443, cidr: "198.51.100.0/24", action: "deny" }] }),
      ["private"],
      ["10.0.0.0/16"],
      [],
    );
    const q = (peerCidr: string, port: number) =>
      naclDecision(rules, { tier: "private", egress: true, range: { protocol: "tcp", from: port, to: port }, peerCidr }).action;
    expect(q("198.51.100.0/24", 443)).toBe("deny");
    expect(q("203.0.113.0/24", 443)).toBe("allow");
    expect(q("203.0.113.0/24", 22)).toBe("deny");
    expect(q("10.0.4.0/24", 22)).toBe("allow");
  });

  it("the stack denies everything on the default NACL", () => {
    expect(JSON.stringify(environmentJson("prod"))).toHaveResourceWithProperties(DefaultNetworkAcl, { ingress: [], egress: [] });
  });
});
