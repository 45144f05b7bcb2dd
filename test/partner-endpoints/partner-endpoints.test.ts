/**
 * PartnerEndpoints: interface endpoints to partners' endpoint services, a
 * security group per partner, the flow on both sides (caller egress, partner
 * ingress), stable addresses, and every rejected input with its path. Plain
 * networks keep the synths small; one MlVpc with SegmentedSecurityGroups shows
 * the module composed as an environment composes it.
 */
import { Testing } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import {
  PartnerEndpoints,
  endpointServiceProblem,
  partnerEndpointsConfigSchema,
  partnerViewOf,
  validatePartnerEndpoints,
  type PartnerEndpointConfig,
  type PartnerEndpointsConfig,
} from "../../modules/partner-endpoints";
import { MlVpc, type IMlNetwork, type SubnetTier } from "../../modules/network";
import { SegmentedSecurityGroups } from "../../modules/security-groups";
import { ConfigError } from "../../modules/core/errors";
import { allResources, baseProps, byPath, configIssues, existingNetwork, ref, resourceList, resources, type TfJson } from "../helpers";

const SVC = "com.amazonaws.vpce.us-east-1.vpce-svc-0b245d99885c0eef6";
const SVC2 = "com.amazonaws.vpce.us-east-1.vpce-svc-0c345d99885c0eef7";
const GROUPS = { training: "sg-0123456789abcdef0", notebook: "sg-0123456789abcdef1", inference: "sg-0123456789abcdef2" };

/** Private subnets in a and b, an isolated one in a. */
const PLACEMENT: { tier: SubnetTier; az: string }[] = [
  { tier: "private", az: "us-east-1a" },
  { tier: "private", az: "us-east-1b" },
  { tier: "isolated", az: "us-east-1a" },
];
const network = (over: Partial<IMlNetwork> = {}, placement = PLACEMENT) => existingNetwork(over, placement);

const FS: PartnerEndpointConfig = { serviceName: SVC, purpose: "vendor feature store for training jobs", ports: [443], callers: ["training"] };

interface Extra {
  network?: IMlNetwork;
  securityGroupIds?: Record<string, string>;
  tags?: Record<string, string>;
}
function synth(config: PartnerEndpointsConfig, extra: Extra = {}): TfJson {
  const text = Testing.synthScope((scope) => {
    new PartnerEndpoints(scope, "partners", {
      network: extra.network ?? network(),
      securityGroupIds: extra.securityGroupIds ?? GROUPS,
      tags: extra.tags,
      ...config,
    });
  });
  return JSON.parse(text) as TfJson;
}
const text = (json: TfJson) => JSON.stringify(json);
const at = (json: TfJson, type: string, path: string) => byPath(json, type, `partners/${path}`);
const issues = (config: PartnerEndpointsConfig, extra?: Extra) => configIssues(() => synth(config, extra));
const first = (config: PartnerEndpointsConfig, extra?: Extra) => issues(config, extra)[0];
const partner = (over: Partial<PartnerEndpointConfig>): PartnerEndpointsConfig => ({ partners: { fs: { ...FS, ...over } } });

describe("PartnerEndpoints: what it synthesizes", () => {
  const json = synth({ partners: { fs: { ...FS, ports: [443, { from: 9092, to: 9094 }], callers: ["training", "notebook"] } } });
  const group = at(json, "aws_security_group", "fs/security-group");
  const groupRef = ref("aws_security_group", group.name);

  it("a security group of its own per partner, named <network>-partner-<name>, the purpose in a tag (a description change would replace it)", () => {
    expect(text(json)).toHaveResourceWithProperties(SecurityGroup, {
      name: "ml-test-partner-fs",
      description: "Partner PrivateLink endpoint fs: its callers in on its ports only",
      vpc_id: "vpc-0123456789abcdef0",
      revoke_rules_on_delete: true,
      tags: { Name: "ml-test-partner-fs", Purpose: "vendor feature store for training jobs" },
    });
    expect(group.body.ingress).toBeUndefined();
    expect(group.body.egress).toBeUndefined();
  });

  it("ingress on every port from every caller group only, by group reference", () => {
    const ingress = resourceList(json, "aws_vpc_security_group_ingress_rule");
    expect(ingress).toHaveLength(4);
    for (const rule of ingress) {
      expect(rule.security_group_id).toBe(groupRef);
      expect(rule.ip_protocol).toBe("tcp");
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.cidr_ipv6).toBeUndefined();
      expect([GROUPS.training, GROUPS.notebook]).toContain(rule.referenced_security_group_id);
    }
    expect(text(json)).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: groupRef,
      referenced_security_group_id: GROUPS.training,
      from_port: 9092,
      to_port: 9094,
      description: "tcp 9092-9094 from training to partner fs",
      tags: { Name: "ml-test-partner-fs-from-training-tcp-9092-9094" },
    });
  });

  it("the matching egress rule on each caller group, to the partner group; none on the partner group", () => {
    const egress = resourceList(json, "aws_vpc_security_group_egress_rule");
    expect(egress).toHaveLength(4);
    expect(egress.filter((r) => r.security_group_id === groupRef)).toEqual([]);
    expect(text(json)).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, {
      security_group_id: GROUPS.notebook,
      referenced_security_group_id: groupRef,
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      description: "tcp 443 from notebook to partner fs",
      tags: { Name: "ml-test-notebook-to-partner-fs-tcp-443" },
    });
    // Both sides of every flow exist.
    const key = (r: Record<string, unknown>, caller: unknown) => `${String(caller)}:${String(r.from_port)}-${String(r.to_port)}`;
    const ingress = resourceList(json, "aws_vpc_security_group_ingress_rule").map((r) => key(r, r.referenced_security_group_id));
    expect(egress.map((r) => key(r, r.security_group_id)).sort()).toEqual(ingress.sort());
  });

  it("an interface endpoint with the partner's group, no policy, no private DNS by default", () => {
    expect(text(json)).toHaveResourceWithProperties(VpcEndpoint, {
      vpc_id: "vpc-0123456789abcdef0",
      service_name: SVC,
      vpc_endpoint_type: "Interface",
      private_dns_enabled: false,
      security_group_ids: [groupRef],
      tags: { Name: "ml-test-partner-fs", Purpose: "vendor feature store for training jobs" },
    });
    const endpoint = at(json, "aws_vpc_endpoint", "fs/endpoint").body;
    expect(endpoint.policy).toBeUndefined();
    expect(endpoint.subnet_ids).toBeUndefined();
  });

  it("one subnet attachment per AZ of the private tier, keyed by AZ", () => {
    const endpoint = ref("aws_vpc_endpoint", at(json, "aws_vpc_endpoint", "fs/endpoint").name);
    const a = at(json, "aws_vpc_endpoint_subnet_association", "fs/subnet-us-east-1a").body;
    const b = at(json, "aws_vpc_endpoint_subnet_association", "fs/subnet-us-east-1b").body;
    expect([a, b]).toEqual([
      { vpc_endpoint_id: endpoint, subnet_id: network().subnets[0].id },
      { vpc_endpoint_id: endpoint, subnet_id: network().subnets[1].id },
    ]);
    expect(resourceList(json, "aws_vpc_endpoint_subnet_association")).toHaveLength(2);
  });
});

describe("PartnerEndpoints: options", () => {
  it("privateDns: true", () => {
    expect(at(synth(partner({ privateDns: true })), "aws_vpc_endpoint", "fs/endpoint").body.private_dns_enabled).toBe(true);
  });

  it("tier and availabilityZones choose the subnets", () => {
    const isolated = synth(partner({ tier: "isolated" }));
    expect(resourceList(isolated, "aws_vpc_endpoint_subnet_association").map((a) => a.subnet_id)).toEqual([network().subnets[2].id]);
    const onlyB = synth(partner({ availabilityZones: ["us-east-1b"] }));
    expect(resourceList(onlyB, "aws_vpc_endpoint_subnet_association").map((a) => a.subnet_id)).toEqual([network().subnets[1].id]);
  });

  it("one subnet per AZ, even when the tier has two there (AWS takes one per AZ)", () => {
    const twoInA = network({}, [
      { tier: "private", az: "us-east-1a" },
      { tier: "private", az: "us-east-1a" },
    ]);
    const json = synth(partner({}), { network: twoInA });
    expect(resourceList(json, "aws_vpc_endpoint_subnet_association").map((a) => a.subnet_id)).toEqual([twoInA.subnets[0].id]);
  });

  it("extra tags on every taggable resource, Name kept", () => {
    const json = synth(partner({}), { tags: { Team: "ml" } });
    for (const type of ["aws_security_group", "aws_vpc_endpoint", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]) {
      for (const body of resourceList(json, type))
        expect(body.tags).toEqual({
          Team: "ml",
          Name: expect.any(String),
          ...((body.tags as Record<string, string>).Purpose ? { Purpose: "vendor feature store for training jobs" } : {}),
        });
    }
  });

  it("several partners, each with its own group and endpoint; the constructs are exposed by name", () => {
    let built: PartnerEndpoints | undefined;
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        // Plain data (FS is a PartnerEndpointConfig<string>): callers are checked at synth.
        built = new PartnerEndpoints<string>(scope, "partners", {
          network: network(),
          securityGroupIds: GROUPS,
          partners: { fs: FS, llm: { serviceName: SVC2, purpose: "hosted LLM API", ports: [443], callers: ["inference"] } },
        });
      }),
    ) as TfJson;
    expect(Object.keys(resources(json, "aws_security_group"))).toHaveLength(2);
    expect(Object.keys(built!.endpoints).sort()).toEqual(["fs", "llm"]);
    expect(Object.keys(built!.securityGroups).sort()).toEqual(["fs", "llm"]);
    const llmGroup = ref("aws_security_group", at(json, "aws_security_group", "llm/security-group").name);
    expect(at(json, "aws_vpc_endpoint", "llm/endpoint").body).toMatchObject({ service_name: SVC2, security_group_ids: [llmGroup] });
    expect(at(json, "aws_vpc_security_group_ingress_rule", "llm/ingress-inference-tcp-443").body).toMatchObject({
      security_group_id: llmGroup,
      referenced_security_group_id: GROUPS.inference,
    });
    expect(built!.securityGroupIds.llm).toEqual(expect.any(String));
    expect(built!.config.partners.llm).toMatchObject({ tier: "private", privateDns: false });
  });

  it("a network without a Region (the provider's) skips the Region check", () => {
    expect(at(synth(partner({})), "aws_vpc_endpoint", "fs/endpoint").body.service_name).toBe(SVC);
    const json = synth(partner({ serviceName: SVC.replace("us-east-1", "eu-west-1") }), { network: network({ region: undefined }) });
    expect(resourceList(json, "aws_vpc_endpoint")).toHaveLength(1);
  });
});

describe("PartnerEndpoints with MlVpc and SegmentedSecurityGroups", () => {
  it("callers are SegmentedSecurityGroups' names; unknown names fail to compile", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const vpc = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
        const sg = new SegmentedSecurityGroups(scope, "sg", { network: vpc });
        new PartnerEndpoints(scope, "partners", { network: vpc, securityGroupIds: sg.ids, partners: { fs: { ...FS, callers: ["training"] } } });
        const typo = () =>
          new PartnerEndpoints(scope, "typo", {
            network: vpc,
            securityGroupIds: sg.ids,
            // @ts-expect-error "trainng" is not a group of SegmentedSecurityGroups
            partners: { fs: { ...FS, callers: ["trainng"] } },
          });
        expect(typo).toThrow(/did you mean "training"/);
        // efa is typed (it exists with efa: true) but has no id here: rejected at synth.
        const noEfa = () => new PartnerEndpoints(scope, "no-efa", { network: vpc, securityGroupIds: sg.ids, partners: { fs: { ...FS, callers: ["efa"] } } });
        expect(noEfa).toThrow(/partners\.fs\.callers\[0\]: is not one of the security groups passed in securityGroupIds/);
      }),
    ) as TfJson;
    const training = ref("aws_security_group", byPath(json, "aws_security_group", "sg/training").name);
    const egress = at(json, "aws_vpc_security_group_egress_rule", "fs/egress-training-tcp-443").body;
    expect(egress.security_group_id).toBe(training);
    const privateSubnets = Object.entries(resources(json, "aws_subnet"))
      .filter(([, s]) => (s.tags as Record<string, string>).Tier === "private")
      .map(([name]) => ref("aws_subnet", name))
      .sort();
    expect(
      resourceList(json, "aws_vpc_endpoint_subnet_association")
        .map((a) => a.subnet_id)
        .sort(),
    ).toEqual(privateSubnets);
  });
});

describe("PartnerEndpoints: stable addresses", () => {
  const compare = (before: TfJson, after: TfJson) => {
    const old = allResources(before);
    const now = allResources(after);
    for (const [address, body] of old) expect({ address, body: now.get(address) }).toEqual({ address, body });
    return [...now.keys()].filter((k) => !old.has(k)).map((k) => k.replace(/_[0-9A-F]{8}$/, ""));
  };
  const base = synth({ partners: { fs: { ...FS, availabilityZones: ["us-east-1a"] } } });

  it("adding a partner only adds its group, rules, endpoint and attachments", () => {
    const added = compare(
      base,
      synth({ partners: { ab: { ...FS, serviceName: SVC2 }, fs: { ...FS, availabilityZones: ["us-east-1a"] } } }, { network: network() }),
    );
    expect(added.sort()).toEqual([
      "aws_security_group.partners_ab_security-group",
      "aws_vpc_endpoint.partners_ab_endpoint",
      "aws_vpc_endpoint_subnet_association.partners_ab_subnet-us-east-1a",
      "aws_vpc_endpoint_subnet_association.partners_ab_subnet-us-east-1b",
      "aws_vpc_security_group_egress_rule.partners_ab_egress-training-tcp-443",
      "aws_vpc_security_group_ingress_rule.partners_ab_ingress-training-tcp-443",
    ]);
  });

  it("adding a caller (before the first) or a port only adds their two rules", () => {
    const added = compare(base, synth({ partners: { fs: { ...FS, callers: ["notebook", "training"], availabilityZones: ["us-east-1a"] } } }));
    expect(added.sort()).toEqual([
      "aws_vpc_security_group_egress_rule.partners_fs_egress-notebook-tcp-443",
      "aws_vpc_security_group_ingress_rule.partners_fs_ingress-notebook-tcp-443",
    ]);
    const morePorts = compare(base, synth({ partners: { fs: { ...FS, ports: [80, 443], availabilityZones: ["us-east-1a"] } } }));
    expect(morePorts.sort()).toEqual([
      "aws_vpc_security_group_egress_rule.partners_fs_egress-training-tcp-80",
      "aws_vpc_security_group_ingress_rule.partners_fs_ingress-training-tcp-80",
    ]);
  });

  it("adding an AZ only adds its attachment", () => {
    expect(compare(base, synth({ partners: { fs: { ...FS, availabilityZones: ["us-east-1a", "us-east-1b"] } } }))).toEqual([
      "aws_vpc_endpoint_subnet_association.partners_fs_subnet-us-east-1b",
    ]);
  });
});

describe("PartnerEndpoints rejects bad input, with the path", () => {
  it.each([
    ["vpce-svc-0b245d99885c0eef6", /not a PrivateLink service name/],
    ["com.amazonaws.vpce.us-east-1.vpce-svc-xyz", /not a PrivateLink service name/],
    ["com.amazonaws.us-east-1.sts", /is an AWS service/],
    ["com.amazonaws.vpce.us-east-1.vpce-svc-0b245d99", /not vpce-svc- and 17 hexadecimal digits/],
    ["com.amazonaws.vpce.us-east-1.vpce-svc-0b245d99885c0eef", /not vpce-svc- and 17 hexadecimal digits/],
  ])("a service name that is not a partner endpoint service: %s", (serviceName, message) => {
    expect(first(partner({ serviceName }))).toMatchObject({ path: "partners.fs.serviceName", value: serviceName, message: expect.stringMatching(message) });
  });

  it("a service name in another Region than the network's", () => {
    const issue = first(partner({ serviceName: SVC.replace("us-east-1", "eu-west-1") }));
    expect(issue).toMatchObject({
      path: "partners.fs.serviceName",
      message: expect.stringMatching(/Region eu-west-1, but the network is in us-east-1/),
      fix: "ask the provider for the service's name in us-east-1",
    });
  });

  it("two partners with one service", () => {
    expect(first({ partners: { fs: FS, other: { ...FS, callers: ["notebook"] } } })).toMatchObject({
      path: "partners.other.serviceName",
      message: expect.stringMatching(/already the service of partner "fs"/),
    });
  });

  it("ports: none, out of range, reversed, the same range twice", () => {
    expect(first(partner({ ports: [] }))).toMatchObject({ path: "partners.fs.ports", message: expect.stringMatching(/is empty/) });
    expect(first(partner({ ports: [70000] }))).toMatchObject({ path: "partners.fs.ports[0]", message: expect.stringMatching(/not a port/) });
    expect(first(partner({ ports: [{ from: 9094, to: 9092 }] }))).toMatchObject({
      path: "partners.fs.ports[0]",
      message: expect.stringMatching(/starts after it ends/),
    });
    expect(first(partner({ ports: [443, { from: 443, to: 443 }] }))).toMatchObject({
      path: "partners.fs.ports[1]",
      message: "is the same range as ports[0]",
    });
  });

  it("callers: none, unknown (with the closest names), or no groups passed at all", () => {
    expect(first(partner({ callers: [] }))).toMatchObject({ path: "partners.fs.callers", message: expect.stringMatching(/is empty/) });
    expect(first(partner({ callers: ["trainng"] }))).toMatchObject({
      path: "partners.fs.callers[0]",
      value: "trainng",
      message: "is not one of the security groups passed in securityGroupIds",
      fix: expect.stringMatching(/did you mean "training"/),
    });
    expect(first(partner({}), { securityGroupIds: {} })).toMatchObject({ path: "partners.fs.callers[0]", fix: expect.stringMatching(/pass securityGroupIds/) });
  });

  it("securityGroupIds: a name unfit for ids and descriptions, a value that is not a group id", () => {
    expect(first(partner({ callers: ["my app"] }), { securityGroupIds: { "my app": GROUPS.training } })).toMatchObject({
      path: 'securityGroupIds["my app"]',
      message: expect.stringMatching(/not a caller name/),
    });
    expect(first(partner({}), { securityGroupIds: { training: "training-sg" } })).toMatchObject({
      path: "securityGroupIds.training",
      message: "is not a security group id",
    });
  });

  it("purpose: empty, characters tags may not hold, longer than a tag value", () => {
    expect(first(partner({ purpose: " " }))).toMatchObject({ path: "partners.fs.purpose", message: "is empty" });
    expect(first(partner({ purpose: "vendor <feature> store" }))).toMatchObject({
      path: "partners.fs.purpose",
      message: expect.stringMatching(/characters tags may not hold/),
    });
    expect(first(partner({ purpose: "x".repeat(257) })).path).toBe("partners.fs.purpose");
    expect(() => synth(partner({ purpose: "x".repeat(256) }))).not.toThrow();
  });

  it("placement: a tier without subnets, an AZ outside the tier, an empty AZ list", () => {
    expect(first(partner({ tier: "training" }))).toMatchObject({
      path: "partners.fs.tier",
      message: expect.stringMatching(/no subnets/),
      fix: "use a tier the network has: private, isolated",
    });
    expect(first(partner({ tier: "isolated", availabilityZones: ["us-east-1b"] }))).toMatchObject({
      path: "partners.fs.availabilityZones[0]",
      message: "has no isolated subnet",
    });
    expect(first(partner({ availabilityZones: [] }))).toMatchObject({ path: "partners.fs.availabilityZones", message: "is empty" });
  });

  it("private DNS in a VPC without DNS hostnames", () => {
    expect(first(partner({ privateDns: true }), { network: network({ dnsHostnames: false }) })).toMatchObject({
      path: "partners.fs.privateDns",
      message: expect.stringMatching(/DNS support and DNS hostnames/),
    });
  });

  it("names: a partner name that is not a slug, no partner at all, an unknown field, a reserved tag", () => {
    expect(first({ partners: { "Feature Store": FS } })).toMatchObject({
      path: 'partners["Feature Store"]',
      message: expect.stringMatching(/not a partner name/),
    });
    expect(first({ partners: {} })).toMatchObject({ path: "partners", message: "has no partner" });
    expect(first({ partners: { fs: { ...FS, port: 443 } as unknown as PartnerEndpointConfig } })).toMatchObject({
      path: "partners.fs.port",
      fix: 'did you mean "ports"?',
    });
    expect(first(partner({}), { tags: { "aws:team": "ml" } })).toMatchObject({ path: "tags.aws:team" });
  });

  it("reports every problem at once, naming the construct", () => {
    let error: unknown;
    try {
      synth({ partners: { fs: { ...FS, serviceName: "nope", ports: [], callers: ["nobody"] } } });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isConfigError(error)).toBe(true);
    const e = error as ConfigError;
    expect(e.scope).toMatch(/^PartnerEndpoints ".*partners"$/);
    expect(e.issues.map((i) => i.path)).toEqual(["partners.fs.serviceName", "partners.fs.ports", "partners.fs.callers[0]"]);
    expect(e.message).toMatch(/3 problems/);
  });
});

describe("validatePartnerEndpoints, as the environment loader calls it", () => {
  const resolve = (config: PartnerEndpointsConfig) => partnerEndpointsConfigSchema.parse(config);

  it("needs no construct: a planned network's view and the caller group names", () => {
    expect(validatePartnerEndpoints(resolve(partner({})), partnerViewOf(network()), ["training"])).toEqual([]);
    expect(validatePartnerEndpoints(resolve(partner({})), partnerViewOf(network()), ["notebook"])[0].path).toBe("partners.fs.callers[0]");
  });

  it("checks the security group name against AWS's limit with the network's name", () => {
    const view = { ...partnerViewOf(network()), name: "n".repeat(250) };
    expect(validatePartnerEndpoints(resolve(partner({})), view, ["training"])[0]).toMatchObject({
      path: "partners.fs",
      message: expect.stringMatching(/security group name .* 255/),
    });
  });

  it("endpointServiceProblem accepts the China partition's endpoint services and any Region without a network Region", () => {
    expect(endpointServiceProblem("cn.com.amazonaws.vpce.cn-north-1.vpce-svc-0b245d99885c0eef6", "cn-north-1")).toBeUndefined();
    expect(endpointServiceProblem(SVC)).toBeUndefined();
  });
});
