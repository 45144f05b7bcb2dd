/**
 * `npm run test:cdktn` runs on CDK Terrain: which packages answer the
 * sources' imports, in which versions, and that the environments the other
 * test files share were synthesized by cdktn. (Every test file of the run also
 * fails if it loaded a file of cdktf: test/flavours/cdktn-setup.ts.)
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { MlVpc } from "../../modules";
import { environmentJson } from "../helpers";

const root = path.resolve(__dirname, "../..");
const flavourModules = path.join(root, "flavours", "cdktn", "node_modules");
const manifest = (pkg: string) => JSON.parse(fs.readFileSync(path.join(flavourModules, pkg, "package.json"), "utf8")) as { name: string; version: string };
const lock = JSON.parse(fs.readFileSync(path.join(root, "flavours", "cdktn", "package-lock.json"), "utf8")) as {
  packages: Record<string, { version: string }>;
};

describe("the cdktn flavour", () => {
  it("answers cdktf, @cdktf/provider-aws and constructs from flavours/cdktn", () => {
    expect(require.resolve("cdktf")).toBe(path.join(flavourModules, "cdktn", "lib", "index.js"));
    expect(require.resolve("cdktf/lib/testing/matchers")).toBe(path.join(flavourModules, "cdktn", "lib", "testing", "matchers.js"));
    expect(require.resolve("@cdktf/provider-aws/lib/vpc")).toBe(path.join(flavourModules, "@cdktn", "provider-aws", "lib", "vpc", "index.js"));
    expect(require.resolve("constructs")).toBe(path.join(flavourModules, "constructs", "lib", "index.js"));
    const nameOf = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { name: string }).name;
    expect(nameOf("cdktf")).toBe("cdktn");
    expect(nameOf("@cdktf/provider-aws")).toBe("@cdktn/provider-aws");
  });

  it("installs exactly what flavours/cdktn/package-lock.json pins", () => {
    for (const pkg of ["cdktn", "@cdktn/provider-aws", "constructs"]) {
      expect({ pkg, version: manifest(pkg).version }).toEqual({ pkg, version: lock.packages[`node_modules/${pkg}`].version });
    }
  });

  it("has one constructs: the provider's resources, cdktn's stacks and the modules' constructs share its Construct class", () => {
    const stack = new TerraformStack(Testing.app(), "one-constructs");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
    const network = new MlVpc(stack, "network", {
      name: "one",
      cidr: "10.1.0.0/16",
      region: "eu-west-1",
      availabilityZones: ["eu-west-1a"],
      tiers: { private: { prefixLength: 24 } },
    });
    for (const c of [stack, vpc, network]) expect(c).toBeInstanceOf(Construct);
    expect(stack.node.root).toBeInstanceOf(App);
  });

  it("pins hashicorp/aws 6.66.0, through @cdktn/provider-aws, in the full source form", () => {
    const stack = new TerraformStack(Testing.app(), "pins");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const json = JSON.parse(Testing.synth(stack)) as { terraform: { required_providers: { aws: { source: string; version: string } } } };
    expect(json.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "6.66.0" });
  });

  it("the environments the test files share were synthesized by cdktn", () => {
    const json = environmentJson("prod") as { "//"?: { metadata: { version: string } } };
    expect(json["//"]?.metadata.version).toBe(manifest("cdktn").version);
    expect(process.env.ML_NETWORK_FLAVOUR).toBe("cdktn");
  });
});
