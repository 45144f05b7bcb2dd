/**
 * EFA layouts given in the props (`instanceSpec`) for instance types the
 * built-in table lacks, and overrides of the table with a reason. A plain
 * network view with one training subnet keeps every synth small.
 */
import { Testing } from "cdktf";
import { EFA_INSTANCE_TYPES, EfaCluster, type EfaClusterConfig } from "../../modules/efa-cluster";
import { prod, type EnvironmentConfig } from "../../environments";
import { configIssues, existingNetwork, environmentIssues, resourceList, synthEnvironment, type TfJson } from "../helpers";

const AMI = { id: "ami-0123456789abcdef0" };
const NETWORK = existingNetwork({}, [{ tier: "training", az: "us-east-1a" }]);
type Nic = { network_card_index: number; device_index: number; interface_type: string; security_groups: string[] };

function synth(config: Partial<EfaClusterConfig>): { json: TfJson; cluster: EfaCluster } {
  let cluster: EfaCluster | undefined;
  const text = Testing.synthScope((scope) => {
    cluster = new EfaCluster(scope, "efa", {
      network: NETWORK,
      name: "llm",
      securityGroupId: "sg-0123456789abcdef1",
      instanceType: "p5.48xlarge",
      nodes: { max: 2 },
      ami: AMI,
      ...config,
    });
  });
  return { json: JSON.parse(text) as TfJson, cluster: cluster! };
}
const launchTemplate = (json: TfJson) => resourceList(json, "aws_launch_template")[0];
const slots = (json: TfJson) => (launchTemplate(json).network_interfaces as Nic[]).map((n) => `${n.network_card_index}/${n.device_index}/${n.interface_type}`);
const issues = (config: Partial<EfaClusterConfig>) => configIssues(() => synth(config));
const first = (config: Partial<EfaClusterConfig>) => issues(config)[0];

/** An instance type the table lacks; the counts are an example, not a claim about the type. */
const NEW_TYPE = "p6-b200.48xlarge";

describe("instanceSpec: a type the table lacks", () => {
  it("lays out an ENA primary and one EFA-only interface per card, from card 0 device 1", () => {
    const { json, cluster } = synth({ instanceType: NEW_TYPE, instanceSpec: { efaInterfaces: 8, networkCards: 8, family: "gpu" } });
    expect(launchTemplate(json)).toMatchObject({ instance_type: NEW_TYPE, description: `ENA primary and 8 EFA-only interfaces for ${NEW_TYPE}` });
    expect(slots(json)).toEqual(["0/0/interface", "0/1/efa-only", ...[1, 2, 3, 4, 5, 6, 7].map((c) => `${c}/0/efa-only`)]);
    for (const n of launchTemplate(json).network_interfaces as Nic[]) expect(n.security_groups).toEqual(["sg-0123456789abcdef1"]);
    expect(cluster.instanceSpec).toMatchObject({ efaInterfaces: 8, networkCards: 8, efaOnCardZero: true, family: "gpu", source: "spec" });
  });

  it("with card 0 ENA-only, starts the EFA-only interfaces on card 1; fewer EFA interfaces than cards use the first cards", () => {
    const noEfaOnZero = synth({ instanceType: NEW_TYPE, instanceSpec: { efaInterfaces: 3, networkCards: 4, efaOnCardZero: false } }).json;
    expect(slots(noEfaOnZero)).toEqual(["0/0/interface", "1/0/efa-only", "2/0/efa-only", "3/0/efa-only"]);
    expect(slots(synth({ instanceType: NEW_TYPE, instanceSpec: { efaInterfaces: 2, networkCards: 4 } }).json)).toEqual([
      "0/0/interface",
      "0/1/efa-only",
      "1/0/efa-only",
    ]);
  });

  it("an unknown type without instanceSpec names instanceSpec in the fix, not a source file", () => {
    const issue = first({ instanceType: NEW_TYPE });
    expect(issue).toMatchObject({ path: "instanceType", value: NEW_TYPE, message: expect.stringMatching(/not in the built-in EFA table/) });
    expect(issue.fix).toMatch(/describe its layout in instanceSpec: \{ efaInterfaces: <MaximumEfaInterfaces>, networkCards: <MaximumNetworkCards> \}/);
    expect(issue.fix).toMatch(/aws ec2 describe-instance-types --instance-types p6-b200\.48xlarge/);
    expect(issue.fix).not.toMatch(/\.ts\b/);
  });

  it.each<[string, EfaClusterConfig["instanceSpec"], string, RegExp]>([
    ["no EFA interface", { efaInterfaces: 0 }, "instanceSpec.efaInterfaces", /whole number of EFA interfaces/],
    ["a fraction", { efaInterfaces: 2.5 }, "instanceSpec.efaInterfaces", /whole number/],
    ["no network card", { efaInterfaces: 1, networkCards: 0 }, "instanceSpec.networkCards", /whole number of network cards/],
    [
      "more EFA interfaces than cards",
      { efaInterfaces: 9, networkCards: 8 },
      "instanceSpec.efaInterfaces",
      /one network card per EFA interface.*8 EFA-capable cards/,
    ],
    [
      "every card, with card 0 ENA-only",
      { efaInterfaces: 4, networkCards: 4, efaOnCardZero: false },
      "instanceSpec.efaInterfaces",
      /3 EFA-capable cards \(4, card 0 without EFA\)/,
    ],
    ["one card, ENA-only", { efaInterfaces: 1, networkCards: 1, efaOnCardZero: false }, "instanceSpec.efaInterfaces", /0 EFA-capable cards/],
    ["a negative bandwidth", { efaInterfaces: 1, networkGbps: -1 }, "instanceSpec.networkGbps", /positive/],
    ["an override reason for a type the table lacks", { efaInterfaces: 1, overrideReason: "new" }, "instanceSpec.overrideReason", /overrides nothing/],
  ])("rejects %s", (_what, instanceSpec, path, message) => {
    expect(first({ instanceType: NEW_TYPE, instanceSpec })).toMatchObject({ path, message: expect.stringMatching(message) });
  });

  it("rejects a name that is no instance type, and reports every problem of the spec at once", () => {
    expect(first({ instanceType: "p6 b200", instanceSpec: { efaInterfaces: 1 } })).toMatchObject({
      path: "instanceType",
      message: expect.stringMatching(/not an EC2 instance type name/),
    });
    expect(issues({ instanceType: NEW_TYPE, instanceSpec: { efaInterfaces: 0, networkCards: -1 } }).map((i) => i.path)).toEqual([
      "instanceSpec.efaInterfaces",
      "instanceSpec.networkCards",
    ]);
  });
});

describe("instanceSpec: a type the table has", () => {
  it("agreeing with the table changes nothing", () => {
    const plain = synth({}).json;
    const same = synth({ instanceSpec: { efaInterfaces: 32, networkCards: 32, networkGbps: 3200 } });
    expect(same.json).toEqual(plain);
    expect(same.cluster.instanceSpec.source).toBe("table");
  });

  it("disagreeing is an error naming each field and the table's value", () => {
    expect(issues({ instanceSpec: { efaInterfaces: 16, networkGbps: 1600 } })).toEqual([
      expect.objectContaining({
        path: "instanceSpec.efaInterfaces",
        value: 16,
        message: expect.stringMatching(/table, which gives p5\.48xlarge 32/),
        fix: expect.stringMatching(/overrideReason/),
      }),
      expect.objectContaining({ path: "instanceSpec.networkGbps", value: 1600, message: expect.stringMatching(/gives p5\.48xlarge 3200/) }),
    ]);
    expect(first({ instanceSpec: { efaInterfaces: 32, overrideReason: "  " } })).toMatchObject({ path: "instanceSpec.overrideReason", message: "is empty" });
  });

  it("with overrideReason, the spec replaces the table's layout and the reason is recorded", () => {
    const reason = "AWS now reports MaximumEfaInterfaces 8 for g6e.48xlarge";
    const { json, cluster } = synth({ instanceType: "g6e.48xlarge", instanceSpec: { efaInterfaces: 8, networkCards: 8, overrideReason: reason } });
    expect(slots(json)).toHaveLength(9);
    expect(cluster.instanceSpec).toMatchObject({
      efaInterfaces: 8,
      networkCards: 8,
      accelerators: EFA_INSTANCE_TYPES["g6e.48xlarge"].accelerators,
      source: "override",
    });
    // The suppression of MLN-EC2-3 (several interfaces) carries it to the reports (Testing strips the "//" key from the JSON).
    expect(JSON.stringify(cluster.launchTemplate.toTerraform())).toContain(`instanceSpec overrides the built-in table: ${reason}`);
  });
});

describe("instanceSpec in an environment", () => {
  it("flows through the loader into the launch template, and is checked with the environment's path", () => {
    const llm = prod.efaClusters!.llm;
    const custom = {
      ...prod,
      efaClusters: { llm: { ...llm, instanceType: NEW_TYPE, instanceSpec: { efaInterfaces: 8, networkCards: 8 } } },
    } as EnvironmentConfig;
    const [lt] = resourceList(synthEnvironment(custom).json, "aws_launch_template");
    expect(lt.instance_type).toBe(NEW_TYPE);
    expect(lt.network_interfaces).toHaveLength(9);
    const bad = { ...prod, efaClusters: { llm: { ...llm, instanceType: NEW_TYPE } } } as EnvironmentConfig;
    expect(environmentIssues(bad)).toContainEqual(
      expect.objectContaining({ path: "efaClusters.llm.instanceType", fix: expect.stringMatching(/instanceSpec/) }),
    );
  });
});
