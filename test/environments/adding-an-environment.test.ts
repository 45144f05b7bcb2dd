/**
 * "Adding an environment" (docs/environments.md), followed as written: copy an
 * environment file to environments/<name>.ts and change its name, region,
 * CIDR and tags; nothing else. The copy (eu, in eu-west-1) is not added to
 * ENVIRONMENTS: it is resolved together with them (unique names, disjoint
 * CIDRs), synthesized, put through the compliance gate and through the same
 * per-environment checks as every configured environment.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { ENVIRONMENTS, EnvironmentConfigError, MlPlatformStack, resolveEnvironments, staging, type EnvironmentConfig } from "../../environments";
import { primaryAz, regionZones, standardTiers, trainingTier } from "../../environments/common";
import { overlaps } from "../../modules/core/cidr";
import { ConfigError } from "../../modules/core/errors";
import { KNOWN_REGIONS } from "../../modules/network";
import { configIssues, type TfJson } from "../helpers";
import { PER_ENVIRONMENT_CHECKS } from "./per-environment";

const root = path.resolve(__dirname, "../..");
const sourceOf = (name: string) => fs.readFileSync(path.join(root, "environments", `${name}.ts`), "utf8");

interface NewEnvironment {
  readonly name: string;
  readonly region: string;
  readonly cidr: string;
  readonly compliance: string;
}
/** eu in eu-west-1, with a name and a /16 that no configured environment uses, whatever ENVIRONMENTS holds. */
const EU: NewEnvironment = {
  name: ["eu", "eu2", "eu3", "eu4"].find((n) => !ENVIRONMENTS.some((e) => e.name === n))!,
  region: "eu-west-1",
  cidr: Array.from({ length: 200 }, (_, i) => `10.${40 + i}.0.0/16`).find(
    (cidr) => !ENVIRONMENTS.some((e) => [e.network.cidr, ...(e.network.secondaryCidrs ?? []), ...(e.onPremisesCidrs ?? [])].some((c) => overlaps(c, cidr))),
  )!,
  compliance: "gdpr",
};

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/**
 * Steps 1 and 2: the file of environment `from`, copied, with the documented
 * edits. Each edit must apply exactly once; if one does not, the steps in
 * docs/environments.md no longer fit the file. Returns the new environment.
 */
function copyEnvironment(from: string, to: NewEnvironment): EnvironmentConfig {
  let text = sourceOf(from);
  const edit = (pattern: RegExp, replacement: string) => {
    const hits = text.match(new RegExp(pattern.source, "g")) ?? [];
    if (hits.length !== 1)
      throw new Error(`environments/${from}.ts: ${hits.length} matches of ${pattern}, expected 1: update "Adding an environment" in docs/environments.md`);
    text = text.replace(pattern, replacement);
  };
  const exported = to.name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  edit(/export const [A-Za-z_]\w*/, `export const ${exported}`);
  edit(/\bname: "[^"]*"/, `name: "${to.name}"`);
  edit(/const region = "[^"]*"/, `const region = "${to.region}"`);
  edit(/\bcidr: "[^"]*"/, `cidr: "${to.cidr}"`);
  edit(/Environment: "[^"]*"/, `Environment: "${to.name}"`);
  edit(/Compliance: "[^"]*"/, `Compliance: "${to.compliance}"`);
  // The copy lives outside the repository: point its relative imports back at it.
  text = text.replace(/from "(\.{1,2}\/[^"]*)"/g, (_m, spec: string) => `from ${JSON.stringify(path.join(root, "environments", spec))}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "new-environment-"));
  tmpDirs.push(dir);
  const file = path.join(dir, `${to.name}.ts`);
  fs.writeFileSync(file, text);
  const env = jest.requireActual<Record<string, EnvironmentConfig | undefined>>(file)[exported];
  if (env?.name !== to.name) throw new Error(`${file} does not export ${exported} named "${to.name}"`);
  return env;
}

describe("region-specific values derived from the environment's region and AZs", () => {
  it("regionZones: the first AZs of the region, in letter order, by the region's real letters", () => {
    expect(regionZones("us-east-1", 2)).toEqual(["us-east-1a", "us-east-1b"]);
    expect(regionZones("eu-west-1", 3)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    // ap-northeast-1 has no b for new accounts; ca-central-1 no c.
    expect(regionZones("ap-northeast-1", 2)).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
    expect(regionZones("ca-central-1", 3)).toEqual(["ca-central-1a", "ca-central-1b", "ca-central-1d"]);
  });

  it("regionZones: an unknown region, or more AZs than the region has, is a ConfigError with the fix", () => {
    expect(configIssues(() => regionZones("eu-west-9", 2))).toEqual([
      expect.objectContaining({ path: "region", value: "eu-west-9", message: "is not a known AWS region", fix: expect.stringContaining("eu-west-1") }),
    ]);
    expect(configIssues(() => regionZones("eu-west-1", 4))).toEqual([
      expect.objectContaining({ path: "count", message: "must be a whole number from 1 to 3: eu-west-1 has eu-west-1a, eu-west-1b, eu-west-1c" }),
    ]);
    for (const count of [0, 1.5, Number.NaN]) expect(() => regionZones("eu-west-1", count)).toThrow(ConfigError);
  });

  it("standardTiers: public, private and isolated in every AZ, training in the environment's first AZ", () => {
    expect(standardTiers(["eu-west-1b", "eu-west-1c"])).toEqual({
      public: { prefixLength: 24 },
      private: { prefixLength: 20 },
      isolated: { prefixLength: 24 },
      training: { prefixLength: 20, availabilityZones: ["eu-west-1b"] },
    });
    expect(trainingTier(["ap-northeast-1c", "ap-northeast-1a"])).toEqual({ prefixLength: 20, availabilityZones: ["ap-northeast-1c"] });
  });

  it("primaryAz: the first AZ listed; none listed is a ConfigError", () => {
    expect(primaryAz(["us-west-2b", "us-west-2a"])).toBe("us-west-2b");
    expect(configIssues(() => primaryAz([]))).toEqual([expect.objectContaining({ path: "availabilityZones", message: "is empty" })]);
  });
});

describe("every environment file names its region once", () => {
  // What makes "change the region" enough: AZs, the training tier, clusters and endpoint AZs follow from it.
  const REGION_LITERAL = new RegExp(`"(${KNOWN_REGIONS.join("|")})[a-z]?"`, "g");
  it.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("%s", (name, env) => {
    expect(sourceOf(name).match(REGION_LITERAL)).toEqual([JSON.stringify(env.region)]);
  });
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))("a copy of environments/%s.ts moved to eu-west-1", (from, source) => {
  it("resolves together with the configured environments, every regional value in eu-west-1", () => {
    const eu = copyEnvironment(from, EU);
    const resolved = resolveEnvironments([...ENVIRONMENTS, eu]);
    expect(resolved.map((e) => e.name)).toEqual([...ENVIRONMENTS.map((e) => e.name), EU.name]);
    const config = resolved[resolved.length - 1];
    expect(config.region).toBe(EU.region);
    expect(config.vpc.availabilityZones).toEqual(regionZones(EU.region, source.network.availabilityZones.length));
    if (source.region !== EU.region) expect(JSON.stringify(config)).not.toContain(source.region);
  });
});

describe("a fourth environment in eu-west-1, copied from staging", () => {
  const eu = copyEnvironment("staging", EU);
  let json: TfJson | undefined;
  const synthesized = (): TfJson => {
    if (json) return json;
    const resolved = resolveEnvironments([...ENVIRONMENTS, eu]);
    const stack = new MlPlatformStack(Testing.app(), resolved[resolved.length - 1]);
    // The synth-time gate: AWS name and tag limits, the compliance pack.
    expect(stack.checks()).toEqual([]);
    return (json = JSON.parse(Testing.synth(stack)) as TfJson);
  };

  it("keeps staging's shape in its own region: as many AZs, training and the EFA cluster in the first", () => {
    const azs = regionZones(EU.region, staging.network.availabilityZones.length);
    expect(eu.network.availabilityZones).toEqual(azs);
    expect(eu.network.tiers.training?.availabilityZones).toEqual([azs[0]]);
    for (const cluster of Object.values(eu.efaClusters ?? {})) expect(cluster.availabilityZone).toBe(azs[0]);
    expect(eu.hybridDns?.availabilityZones).toEqual(azs.slice(0, 2));
    expect(eu.partnerEndpoints?.partners["feature-store"].serviceName).toContain(`.${EU.region}.`);
    const regional = { network: staging.network, efaClusters: staging.efaClusters, hybridDns: staging.hybridDns, partnerEndpoints: staging.partnerEndpoints };
    expect({ ...eu, name: staging.name, region: staging.region, tags: staging.tags, ...regional }).toEqual(staging);
  });

  it("synthesizes and passes the compliance gate", () => {
    expect(synthesized().resource?.aws_vpc).toBeDefined();
  });

  it.each(Object.entries(PER_ENVIRONMENT_CHECKS))("%s", (_title, check) => check(eu, synthesized()));

  it("a missed step is caught across environments: the old name, or the old CIDR", () => {
    const rejected = (envs: EnvironmentConfig[]) => {
      try {
        resolveEnvironments(envs);
      } catch (err) {
        if (err instanceof EnvironmentConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
        throw err;
      }
      throw new Error("expected the environments to be rejected");
    };
    expect(rejected([...ENVIRONMENTS, { ...eu, name: "staging" }])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^name: .*used by another environment/)]),
    );
    expect(rejected([...ENVIRONMENTS, { ...eu, network: { ...eu.network, cidr: staging.network.cidr } }])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^network\.cidr: overlaps environment "staging"/)]),
    );
  });
});
