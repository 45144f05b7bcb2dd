/**
 * The package as a library: a platform team imports a module into its own
 * CDKTF app, with its own provider and stack, and builds on the handle.
 */
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import * as fs from "fs";
import * as path from "path";
import * as api from "../index";
import * as modules from "../modules";
import * as analysis from "../analysis";
import { ConfigError, MlVpc, selectSubnets, type IMlNetwork } from "../modules";
import { existingNetwork } from "./helpers";

class TeamStack extends TerraformStack {
  constructor(scope: App, network: (stack: TerraformStack) => IMlNetwork) {
    super(scope, "team");
    new AwsProvider(this, "aws", { region: "eu-west-1" });
    const net = network(this);
    new SecurityGroup(this, "sg", { vpcId: net.vpcId, description: `team group in ${net.name}` });
  }
}

describe("the package entry (index.ts) as a library entry point", () => {
  it("modules/index.ts exports the modules only; the package entry adds the analysis", () => {
    expect("runPolicies" in modules).toBe(false);
    expect("buildModel" in modules).toBe(false);
    expect(api.MlVpc).toBe(modules.MlVpc);
  });

  it("exports the constructs, helpers and error type", () => {
    expect(api.MlVpc).toBe(MlVpc);
    expect(typeof api.planSubnets).toBe("function");
    expect(typeof api.VpcFlowLogs).toBe("function");
    expect(api.SUBNET_TIERS).toEqual(["public", "private", "isolated", "training"]);
    expect(typeof api.SegmentedSecurityGroups).toBe("function");
    expect(typeof api.TierNetworkAcls).toBe("function");
    expect(typeof api.findBlockedFlows).toBe("function");
    for (const name of ["buildModel", "analyzeReachability", "toDot", "renderSvg", "pricesFor"] as const) {
      expect({ name, type: typeof analysis[name] }).toEqual({ name, type: "function" });
    }
    for (const name of [
      "MlVpcEndpoints",
      "SiteToSiteVpn",
      "EfaCluster",
      "SageMakerWorkspace",
      "ConfigDriftRules",
      "suppress",
      "enforceCompliance",
      "runPolicies",
      "buildModel",
      "analyzeReachability",
      "estimateCost",
      "buildReport",
    ] as const) {
      expect({ name, type: typeof api[name] }).toEqual({ name, type: "function" });
    }
    expect(Object.keys(api.BLUEPRINTS)).toEqual(["mvp", "tabularPipeline", "multiModal", "distributedLlm"]);
    expect(new ConfigError("x", [{ path: "a", message: "b", fix: "c" }]).message).toContain("a: b");
  });

  it("composes MlVpc in another app's stack, in another region", () => {
    let vpc: MlVpc | undefined;
    const stack = new TeamStack(Testing.app(), (s) => {
      vpc = new MlVpc(s, "net", {
        name: "team-ml",
        cidr: "10.99.0.0/20",
        region: "eu-west-1",
        availabilityZones: ["eu-west-1a", "eu-west-1b"],
        tiers: { private: { prefixLength: 24 } },
      });
      return vpc;
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.resource.aws_subnet)).toHaveLength(2);
    expect(selectSubnets(vpc!, { tiers: ["private"] }).subnetIds).toHaveLength(2);
    // No NAT by default: AWS traffic goes through endpoints.
    expect(json.resource.aws_nat_gateway).toBeUndefined();
    expect(Testing.synth(stack)).toHaveResourceWithProperties(SecurityGroup, { description: "team group in team-ml" });
  });

  it("accepts a plain object describing an existing VPC wherever IMlNetwork is expected", () => {
    const existing = existingNetwork({ name: "legacy", vpcCidrs: ["10.0.0.0/16"] });
    const stack = new TeamStack(Testing.app(), () => existing);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(SecurityGroup, { vpc_id: "vpc-0123456789abcdef0" });
    expect(api.selectSubnets(existing, { tiers: ["private"] }).routeTables.map((t) => t.id)).toEqual([existing.subnets[0].routeTableId]);
  });
});

describe("the package manifest", () => {
  const root = path.join(__dirname, "..");
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  // dist/x/y.js is compiled from x/y.ts (tsconfig.build.json keeps the source layout).
  const sourceOf = (target: string) => path.join(root, target.replace(/^\.?\/?dist\//, "").replace(/\.(d\.ts|js)$/, ".ts"));

  it("every export and bin points at a compiled source that exists and is shipped", () => {
    const targets = [
      pkg.main,
      pkg.types,
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [] : Object.values(e as Record<string, string>))),
    ] as string[];
    for (const t of targets) {
      expect({ t, exists: fs.existsSync(sourceOf(t)) }).toEqual({ t, exists: true });
      expect({ t, shipped: pkg.files.some((f: string) => t.replace(/^\.\//, "").startsWith(f)) }).toEqual({ t, shipped: true });
    }
    for (const bin of Object.values(pkg.bin) as string[]) expect(fs.readFileSync(sourceOf(bin), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it("every subpath export has a typesVersions entry to the same declarations, for node10 module resolution (cdktf init's tsconfig)", () => {
    const subpaths = Object.entries(pkg.exports as Record<string, string | { types: string }>).filter(([k, v]) => k !== "." && typeof v !== "string");
    expect(subpaths.length).toBeGreaterThanOrEqual(4);
    for (const [subpath, target] of subpaths) {
      const key = subpath.replace(/^\.\//, "");
      expect({ key, types: pkg.typesVersions["*"][key] }).toEqual({ key, types: [(target as { types: string }).types.replace(/^\.\//, "")] });
    }
  });

  it("takes cdktf, constructs and the AWS provider as peers, so an app keeps one copy of each", () => {
    for (const name of ["cdktf", "constructs", "@cdktf/provider-aws"]) {
      expect(pkg.dependencies[name]).toBeUndefined();
      // The pinned development version is the floor of the peer range.
      expect(pkg.peerDependencies[name]).toBe(`^${pkg.devDependencies[name]}`);
    }
  });
});
