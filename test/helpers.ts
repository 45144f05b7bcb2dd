/** Test helpers: synthesize a construct or stack and read the Terraform JSON. */
import { App, Testing } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MlVpc, type IMlNetwork, type MlVpcProps, type NetworkSubnet, type SubnetTier } from "../modules/network";
import * as fs from "fs";
import { ConfigError, type ConfigIssue } from "../modules/core/errors";
import * as path from "path";
import { ENVIRONMENTS, EnvironmentConfigError, MlPlatformStack, resolveEnvironment, type EnvironmentConfig } from "../environments";

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
};

/** A small, valid MlVpc configuration to start tests from. */
export function baseProps(overrides: Partial<MlVpcProps> = {}): MlVpcProps {
  return {
    name: "ml-test",
    cidr: "10.0.0.0/16",
    region: "us-east-1",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    tiers: {
      public: { prefixLength: 24 },
      private: { prefixLength: 20 },
      isolated: { prefixLength: 24 },
      training: { prefixLength: 20, availabilityZones: ["us-east-1a"] },
    },
    nat: "perAz",
    ...overrides,
  };
}

/** Synthesizes a scope (as cdktf's Testing does) and returns the JSON text. */
export function synthText(build: (scope: Construct) => void): string {
  return Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "us-east-1" });
    build(scope);
  });
}

export function synthVpc(props: MlVpcProps): { text: string; json: TfJson } {
  const text = synthText((scope) => new MlVpc(scope, "network", props));
  return { text, json: JSON.parse(text) as TfJson };
}

export function synthEnvironment(config: EnvironmentConfig): { text: string; json: TfJson; stack: MlPlatformStack } {
  const app = Testing.app();
  const stack = new MlPlatformStack(app, config);
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as TfJson, stack };
}

/**
 * The synthesized JSON of a shipped environment, exactly as `npm run synth`
 * writes it: shared across test files by the global setup, or synthesized
 * here when a test runs without it.
 */
export function environmentJson(name: string): TfJson {
  const dir = process.env.ML_NETWORK_TEST_SYNTH_DIR;
  const file = dir && path.join(dir, "stacks", name, "cdk.tf.json");
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as TfJson;
  const env = ENVIRONMENTS.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name}`);
  return synthEnvironment(env).json;
}

/** Resources of one type, keyed by Terraform name. */
export function resources(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

export function resourceList(json: TfJson, type: string): Record<string, unknown>[] {
  return Object.values(resources(json, type));
}

/**
 * Finds the one resource of a type created by the construct at `path` below
 * the stack (e.g. `network/subnet-private-us-east-1a`); cdktf derives the
 * Terraform name from that path plus a hash.
 */
export function byPath(json: TfJson, type: string, path: string): { name: string; body: Record<string, unknown> } {
  const idPart = path.replace(/\//g, "_").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(^|_)${idPart}_[0-9A-F]{8}$`);
  const hits = Object.entries(resources(json, type)).filter(([name]) => pattern.test(name));
  if (hits.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${hits.length}`);
  return { name: hits[0][0], body: hits[0][1] };
}

/** `${aws_subnet.name.id}` for a resource, the way references appear in the JSON. */
export function ref(type: string, name: string, attr = "id"): string {
  return `\${${type}.${name}.${attr}}`;
}

/** Every resource as `type.name` -> body. */
export function allResources(json: TfJson): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, body);
  }
  return out;
}

export { App };

/** Runs `build` and returns the issues of the ConfigError it throws; fails if it throws none. */
export function configIssues(build: () => unknown): ConfigIssue[] {
  try {
    build();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  throw new Error("expected a ConfigError, but nothing was rejected");
}

/** Resolves one environment and returns the issues it is rejected with; fails if it is accepted. */
export function environmentIssues(env: EnvironmentConfig): ConfigIssue[] {
  try {
    resolveEnvironment(env);
  } catch (err) {
    if (err instanceof EnvironmentConfigError) return [...err.errors[0].issues];
    throw err;
  }
  throw new Error(`expected environment "${env.name}" to be rejected`);
}

/**
 * A well-formed plain network (an existing VPC) as a user describes one: ids
 * of AWS's shape, one subnet per tier and AZ listed, inside 10.0.0.0/16. The
 * modules check plain networks like MlVpc props, so fixtures must be valid.
 */
export function existingNetwork(
  overrides: Partial<IMlNetwork> = {},
  placement: readonly { tier: SubnetTier; az: string }[] = [{ tier: "private", az: "us-east-1a" }],
): IMlNetwork {
  const hex = (n: number) => n.toString(16).padStart(17, "0");
  const subnets: NetworkSubnet[] = placement.map(({ tier, az }, i) => ({
    id: `subnet-${hex(i + 1)}`,
    tier,
    availabilityZone: az,
    cidr: `10.0.${i}.0/24`,
    routeTableId: `rtb-${hex(i + 1)}`,
    routeTableName: `${tier}-${az}`,
  }));
  return {
    name: "ml-test",
    vpcId: "vpc-0123456789abcdef0",
    region: "us-east-1",
    vpcCidrs: ["10.0.0.0/16"],
    availabilityZones: [...new Set(placement.map((p) => p.az))],
    subnets,
    dnsSupport: true,
    dnsHostnames: true,
    ...overrides,
  };
}

/** Runs a command (a bin's `cli`) with stdout and stderr captured; returns its exit code and what it printed. */
export async function captureOutput(command: () => number | Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await command(), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
