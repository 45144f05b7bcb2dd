import * as fs from "fs";
import * as path from "path";
import { BLUEPRINTS, BLUEPRINT_NAMES, checkBlueprint, mergeConfig, type Suggestion } from "../../modules/blueprints";
import { dev, fromBlueprint, prod, resolveEnvironment, type BlueprintEnvironment, type EnvironmentConfig } from "../../environments";
import { exampleFeatureStore, exampleHybridDns, regionZones } from "../../environments/common";
import { resourceList, resources, synthEnvironment, type TfJson, environmentIssues } from "../helpers";

const TAGS = { Environment: "sandbox", Project: "ml", Owner: "team@example.com", CostCenter: "CC-1", Compliance: "internal" };
const basics = (extra: Partial<BlueprintEnvironment> = {}): BlueprintEnvironment => ({
  name: "sandbox",
  region: "us-east-1",
  tags: TAGS,
  network: { cidr: "10.50.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] },
  ...extra,
});
const VPN = { customerGateways: { dc1: { ipAddress: "198.51.100.10", bgpAsn: 65010 } } };
const tiersOf = (json: TfJson) => new Set(resourceList(json, "aws_subnet").map((s) => (s.tags as Record<string, string>).Tier));
const interfaceServices = (json: TfJson) =>
  resourceList(json, "aws_vpc_endpoint")
    .filter((e) => e.vpc_endpoint_type === "Interface")
    .map((e) => (e.service_name as string).split(".").slice(3).join("."));
const gatewayServices = (json: TfJson) =>
  resourceList(json, "aws_vpc_endpoint")
    .filter((e) => e.vpc_endpoint_type === "Gateway")
    .map((e) => (e.service_name as string).split(".").pop())
    .sort();

const rejects = (env: EnvironmentConfig) => environmentIssues(env);

describe("blueprints synthesize standalone with their defining resources", () => {
  it("mvp: a public subnet and internet gateway, no NAT, the S3 gateway endpoint, a workstation notebook opted into direct internet", () => {
    const { json } = synthEnvironment(fromBlueprint("mvp", basics()));
    expect(tiersOf(json)).toEqual(new Set(["public", "private"]));
    expect(resourceList(json, "aws_internet_gateway")).toHaveLength(1);
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(0);
    expect(gatewayServices(json)).toEqual(["s3"]);
    expect(resourceList(json, "aws_sagemaker_notebook_instance")).toEqual([
      expect.objectContaining({ name: "ml-sandbox-workstation", direct_internet_access: "Enabled", root_access: "Disabled" }),
    ]);
  });

  it("tabularPipeline: private subnets only, no NAT, S3 and DynamoDB gateway endpoints, a VPN gateway", () => {
    const { json } = synthEnvironment(fromBlueprint("tabularPipeline", basics({ vpn: VPN, onPremisesCidrs: ["172.16.0.0/16"] })));
    expect(tiersOf(json)).toEqual(new Set(["private", "isolated"]));
    expect(resourceList(json, "aws_internet_gateway")).toHaveLength(0);
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(0);
    expect(gatewayServices(json)).toEqual(["dynamodb", "s3"]);
    expect(resourceList(json, "aws_vpn_gateway")).toHaveLength(1);
    expect(resourceList(json, "aws_vpn_connection")).toHaveLength(1);
  });

  it("multiModal: private subnets, NAT, interface endpoints for SageMaker API and runtime and Rekognition", () => {
    const { json } = synthEnvironment(fromBlueprint("multiModal", basics()));
    expect(resourceList(json, "aws_nat_gateway")).toHaveLength(1);
    expect(interfaceServices(json).sort()).toEqual(["rekognition", "sagemaker.api", "sagemaker.runtime"]);
    expect(resourceList(json, "aws_vpn_gateway")).toHaveLength(0);
    const withVpn = synthEnvironment(fromBlueprint("multiModal", basics({ vpn: VPN, onPremisesCidrs: ["172.16.0.0/16"] }))).json;
    expect(resourceList(withVpn, "aws_vpn_gateway")).toHaveLength(1);
  });

  it("distributedLlm: a training subnet in one AZ, an EFA cluster in a cluster placement group, a self-referencing group", () => {
    const { json } = synthEnvironment(fromBlueprint("distributedLlm", basics()));
    const training = resourceList(json, "aws_subnet").filter((s) => (s.tags as Record<string, string>).Tier === "training");
    expect(training.map((s) => s.availability_zone)).toEqual([basics().network.availabilityZones[0]]);
    expect(resourceList(json, "aws_placement_group")).toEqual([expect.objectContaining({ strategy: "cluster" })]);
    expect(resourceList(json, "aws_launch_template")[0].instance_type).toBe("p5.48xlarge");
    const efa = Object.entries(resources(json, "aws_security_group")).find(([, g]) => g.name === "ml-sandbox-efa")![0];
    const self = resourceList(json, "aws_vpc_security_group_ingress_rule").filter(
      (r) => r.security_group_id === `\${aws_security_group.${efa}.id}` && r.referenced_security_group_id === `\${aws_security_group.${efa}.id}`,
    );
    expect(self).toEqual([expect.objectContaining({ ip_protocol: "-1" })]);
  });

  it("every blueprint has a title, a use case and defining traits that its own preset satisfies", () => {
    for (const name of BLUEPRINT_NAMES) {
      const bp = BLUEPRINTS[name];
      expect(bp.title.length).toBeGreaterThan(3);
      expect(bp.traits.length).toBeGreaterThan(0);
      const preset = bp.preset(["us-east-1a"]);
      const shape = name === "tabularPipeline" ? { ...preset, vpn: VPN } : preset;
      expect(checkBlueprint({ name }, shape)).toEqual([]);
    }
  });
});

describe("what each architecture calls for beyond its preset", () => {
  // Each suggestion, added to its blueprint with an example of the team's own values, builds and passes the gate.
  const EXAMPLES: Record<Suggestion["field"], Partial<BlueprintEnvironment>> = {
    hybridDns: { hybridDns: exampleHybridDns("sandbox", ["us-east-1a", "us-east-1b"]) },
    directConnect: { directConnect: {} },
    partnerEndpoints: { partnerEndpoints: { partners: { vendor: exampleFeatureStore("us-east-1", ["training"]) } } },
    inferenceIngress: { inferenceIngress: { certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/8f2c1d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f" } },
  };
  const cases = BLUEPRINT_NAMES.flatMap((name) => BLUEPRINTS[name].suggests.map((s) => [name, s.field] as const));

  it("every reference architecture but the MVP suggests hybrid or serving parts", () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(BLUEPRINTS.mvp.suggests).toEqual([]);
    for (const name of BLUEPRINT_NAMES.filter((n) => n !== "mvp")) expect(BLUEPRINTS[name].suggests.length).toBeGreaterThan(0);
  });

  it("docs/modules/blueprints.md lists exactly these suggestions", () => {
    const page = fs.readFileSync(path.resolve(__dirname, "../../docs/modules/blueprints.md"), "utf8");
    const rows = [...page.matchAll(/^\| `(\w+)` \| `(\w+)` \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(cases.map(([name, field]) => [name, field]));
  });

  it.each(cases)("%s + %s synthesizes and passes the compliance gate", (name, field) => {
    // Hybrid parts need the VPN and the on-premises ranges.
    const hybrid = { vpn: VPN, onPremisesCidrs: ["172.16.0.0/16"] };
    const { stack } = synthEnvironment(fromBlueprint(name, basics({ ...hybrid, ...EXAMPLES[field] })));
    expect(stack.checks()).toEqual([]);
    expect(stack[field]).toBeDefined();
  });
});

describe("blueprints in any region", () => {
  // The presets place their single-AZ parts (training tier, EFA cluster) from the environment's own AZs.
  it.each(BLUEPRINT_NAMES.flatMap((name) => ["eu-west-1", "ap-northeast-1"].map((region) => [name, region] as const)))(
    "%s in %s: resolves, with every AZ the environment's and its single-AZ parts in the first",
    (name, region) => {
      const availabilityZones = regionZones(region, 2);
      const extra = name === "tabularPipeline" ? { vpn: VPN, onPremisesCidrs: ["172.16.0.0/16"] } : {};
      const env = fromBlueprint(name, basics({ region, network: { cidr: "10.50.0.0/16", availabilityZones }, ...extra }));
      const resolved = resolveEnvironment(env);
      expect(JSON.stringify(resolved)).not.toContain(basics().region);
      const training = resolved.vpc.tiers.training;
      if (training) expect(training.availabilityZones).toEqual([availabilityZones[0]]);
      for (const cluster of Object.values(resolved.efaClusters)) expect(cluster.availabilityZone).toBe(availabilityZones[0]);
    },
  );
});

describe("contradicting a blueprint", () => {
  it("tabularPipeline with NAT is rejected with the reason", () => {
    const env = fromBlueprint(
      "tabularPipeline",
      basics({
        vpn: VPN,
        onPremisesCidrs: ["172.16.0.0/16"],
        network: { cidr: "10.50.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"], tiers: { public: { prefixLength: 24 } }, nat: "single" },
      }),
    );
    const issues = rejects(env);
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/contradicts the tabularPipeline blueprint: it needs no NAT gateway, because pipeline data must not leave for the internet/),
        expect.stringMatching(/private subnets only/),
      ]),
    );
    expect(issues[0].fix).toMatch(/blueprint\.deviations\.noNat/);
  });

  it("tabularPipeline without a VPN is rejected", () => {
    expect(rejects(fromBlueprint("tabularPipeline", basics())).map((i) => i.message)).toEqual([expect.stringMatching(/needs a VPN gateway/)]);
  });

  it("a recorded deviation with a reason is accepted and kept in the config", () => {
    const env = fromBlueprint(
      "multiModal",
      basics({
        network: { cidr: "10.50.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"], nat: "none" },
        deviations: { nat: "models are mirrored into S3, no public hub access" },
      }),
    );
    const resolved = resolveEnvironment(env);
    expect(resolved.blueprint).toEqual({ name: "multiModal", deviations: { nat: "models are mirrored into S3, no public hub access" } });
  });

  it("a deviation without a real reason, or for a trait the blueprint lacks, is rejected", () => {
    const short = fromBlueprint(
      "multiModal",
      basics({ network: { cidr: "10.50.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"], nat: "none" }, deviations: { nat: "cheaper" } }),
    );
    expect(rejects(short)[0]).toMatchObject({ path: "blueprint.deviations.nat", message: expect.stringMatching(/at least 10 characters/) });
    const unknown = fromBlueprint("multiModal", basics({ deviations: { efaCluster: "not a trait of multiModal at all" } }));
    expect(rejects(unknown)[0]).toMatchObject({ path: "blueprint.deviations.efaCluster", fix: expect.stringMatching(/nat, aiEndpoints/) });
  });

  it("removing the EFA cluster from distributedLlm is caught", () => {
    const env = fromBlueprint("distributedLlm", basics({ efaClusters: { llm: null } as never }));
    expect(rejects(env).map((i) => i.message)).toEqual([expect.stringMatching(/at least one EFA cluster/)]);
  });
});

describe("merging overrides into a preset", () => {
  it("merges objects field by field, replaces lists and removes keys set to null", () => {
    const base = { a: { b: 1, c: [1, 2] }, d: "x", e: { f: 1 } };
    expect(mergeConfig(base, { a: { c: [3] }, e: null })).toEqual({ a: { b: 1, c: [3] }, d: "x" });
  });
});

describe("environments start from blueprints", () => {
  it("dev starts from multiModal with a notebook; prod from distributedLlm plus the multi-modal endpoints, with domain and guardrails", () => {
    expect(dev.blueprint?.name).toBe("multiModal");
    expect(Object.keys(dev.sagemaker?.notebooks ?? {})).toEqual(["research"]);
    expect(prod.blueprint?.name).toBe("distributedLlm");
    expect(prod.endpoints?.interface?.services).toEqual(expect.arrayContaining(["sagemaker.api", "sagemaker.runtime", "rekognition"]));
    expect(prod.sagemaker?.domain).toBeDefined();
    expect(prod.sagemaker?.guardrails?.requireNetworkIsolation).toBe(true);
  });
});
