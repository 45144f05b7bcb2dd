/**
 * The checks every environment passes, as functions of its configuration and
 * its synthesized JSON, with nothing about any one environment written in:
 * names, region, AZs and tiers are read from the configuration. Run on every
 * configured environment (environments.test.ts) and on a fourth one made by
 * following "Adding an environment" in docs/environments.md
 * (adding-an-environment.test.ts).
 */
import * as os from "os";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { REQUIRED_TAGS, resolveEnvironment, type EnvironmentConfig } from "../../environments";
import { UNTAGGABLE_TYPES } from "../../analysis/policy";
import { buildModel } from "../../analysis/model";
import { analyzeReachability, groupTiers } from "../../analysis/reachability";
import type { TfJsonShape } from "../../analysis/tfjson";
import { KNOWN_REGIONS } from "../../modules/network";
import { SECURITY_GROUP_NAMES } from "../../modules/security-groups";
import { allResources, resourceList, type TfJson } from "../helpers";

export type EnvironmentCheck = (env: EnvironmentConfig, json: TfJson) => void;

const prefixOf = (env: EnvironmentConfig) => env.namePrefix ?? `ml-${env.name}`;
const tagsOf = (body: Record<string, unknown>) => (body.tags ?? {}) as Record<string, string>;
/** Any known region's name, wherever it appears (service names, bucket names, ARNs, AZs). */
const ANY_REGION = new RegExp(KNOWN_REGIONS.map((r) => r.replace(/-/g, "\\-")).join("|"), "g");

export const PER_ENVIRONMENT_CHECKS: Readonly<Record<string, EnvironmentCheck>> = {
  // Intent and path agree: a group allowed out to the internet runs only where a route leads out.
  "every group granted internet egress reaches the internet from every tier it runs in; training only with natEgress": (env, json) => {
    const resolved = resolveEnvironment(env);
    const model = buildModel(json as TfJsonShape);
    const matrix = analyzeReachability(model).matrix;
    for (const group of resolved.securityGroups.internetEgress) {
      const sg = model.securityGroups.find((g) => g.name === `${resolved.namePrefix}-${group}`)!;
      const tiers = groupTiers(model, sg).filter((t) => matrix[t]);
      expect(tiers.length).toBeGreaterThan(0);
      for (const tier of tiers) expect({ group, tier, ...matrix[tier]["internet (outbound)"] }).toMatchObject({ group, tier, reachable: true });
    }
    if (matrix.training) expect(matrix.training["internet (outbound)"].reachable).toBe(resolved.vpc.tiers.training?.natEgress === true);
  },

  "the provider carries the region and every required tag as default_tags": (env, json) => {
    expect(JSON.stringify(json)).toHaveProviderWithProperties(AwsProvider, {
      region: env.region,
      default_tags: [{ tags: expect.objectContaining({ Environment: env.tags.Environment }) }],
    });
    const tags = (json.provider!.aws[0] as { default_tags: { tags: Record<string, string> }[] }).default_tags[0].tags;
    for (const tag of REQUIRED_TAGS) expect(tags[tag]).toEqual(expect.any(String));
  },

  "every region and AZ in the JSON is the environment's own": (env, json) => {
    // The state bucket may live in another region; everything the stack builds lives in its own.
    const { backend: _backend, ...terraform } = json.terraform ?? {};
    const text = JSON.stringify({ ...json, terraform });
    expect([...new Set(text.match(ANY_REGION))]).toEqual([env.region]);
    // Subnets, NAT gateways, clusters, endpoints: every AZ named anywhere is one the environment lists.
    const named = new Set(text.match(new RegExp(`${env.region.replace(/-/g, "\\-")}[a-z](?![a-z0-9])`, "g")));
    expect(named.size).toBeGreaterThan(0);
    for (const az of named) expect({ az, listed: env.network.availabilityZones.includes(az) }).toEqual({ az, listed: true });
  },

  "every taggable resource has a readable Name tag": (env, json) => {
    const prefix = new RegExp(`^${prefixOf(env)}-`);
    for (const [address, body] of allResources(json)) {
      const type = address.split(".")[0];
      if (type === "aws_autoscaling_group") {
        // Auto scaling groups tag through tag blocks, propagated to the instances.
        expect((body.tag as { key: string; value: string }[]).find((t) => t.key === "Name")?.value).toMatch(prefix);
        continue;
      }
      if (UNTAGGABLE_TYPES.has(type)) continue;
      expect({ address, name: tagsOf(body).Name }).toEqual({ address, name: expect.stringMatching(prefix) });
    }
  },

  "the state is kept per environment: a relative local path outside cdktf.out, or its own S3 key": (env, json) => {
    const backend = (json.terraform as { backend: { local?: { path: string }; s3?: { key: string } } }).backend;
    if (backend.s3) {
      expect(backend.s3.key).toMatch(new RegExp(`/${env.name}/terraform\\.tfstate$`));
      return;
    }
    const local = backend.local!;
    if (env.backend?.type === "local" && env.backend.path !== undefined) {
      expect(path.isAbsolute(local.path)).toBe(false);
      return;
    }
    expect(local.path).toBe(`../../../terraform.${env.name}.tfstate`);
    expect(path.normalize(path.join("cdktf.out/stacks", env.name, local.path))).toBe(`terraform.${env.name}.tfstate`);
  },

  "carries no absolute path of this machine": (_env, json) => {
    const text = JSON.stringify(json);
    expect(text).not.toContain(process.cwd());
    expect(text).not.toContain(os.homedir());
    expect(text).not.toMatch(/"\/(root|home|work|tmp|Users)\//);
  },

  "no security group rule admits ingress from 0.0.0.0/0 or ::/0; the default group has no rules": (_env, json) => {
    for (const r of resourceList(json, "aws_vpc_security_group_ingress_rule")) {
      expect([r.cidr_ipv4, r.cidr_ipv6]).not.toContain("0.0.0.0/0");
      expect([r.cidr_ipv4, r.cidr_ipv6]).not.toContain("::/0");
    }
    const [defaultSg] = resourceList(json, "aws_default_security_group");
    expect([defaultSg.ingress, defaultSg.egress]).toEqual([[], []]);
    expect(resourceList(json, "aws_security_group").every((g) => g.ingress === undefined && g.egress === undefined)).toBe(true);
  },

  "declares required_version >= 1.11 (S3 use_lockfile is GA there)": (_env, json) => {
    expect((json.terraform as { required_version?: string }).required_version).toBe(">= 1.11.0");
  },

  "outputs the VPC id, the subnet ids of every tier, the SageMaker VpcConfigs, every segmented group's id and what hybrid users connect to": (env, json) => {
    const subnets = resourceList(json, "aws_subnet");
    const tiers = [...new Set(subnets.map((s) => tagsOf(s).Tier))];
    const groups = resourceList(json, "aws_security_group")
      .map((g) => (g.name as string).slice(prefixOf(env).length + 1))
      .filter((g) => (SECURITY_GROUP_NAMES as readonly string[]).includes(g));
    // What on-premises DNS forwarders, virtual interfaces and clients are pointed at.
    const hybrid = [
      ...(env.hybridDns && env.hybridDns.inbound?.enabled !== false ? ["dns_inbound_endpoint_ips"] : []),
      ...(env.directConnect ? ["direct_connect_gateway_id"] : []),
      ...(env.partnerEndpoints ? ["partner_endpoint_dns_names"] : []),
      ...(env.inferenceIngress ? ["inference_load_balancer_dns_name"] : []),
    ];
    const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const outputs = json.output!;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "vpc_id",
        "sagemaker_training_vpc_config",
        "sagemaker_inference_vpc_config",
        ...tiers.map((t) => `${t}_subnet_ids`),
        ...groups.map((g) => `${snake(g)}_security_group_id`),
        ...hybrid,
      ].sort(),
    );
    for (const tier of tiers) {
      expect((outputs[`${tier}_subnet_ids`].value as string[]).length).toBe(subnets.filter((s) => tagsOf(s).Tier === tier).length);
    }
  },
};
