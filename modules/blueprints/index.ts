/**
 * The four reference ML architectures as config presets.
 *
 * A blueprint is a preset (what an environment starts from) plus the traits
 * that define it (what makes it that architecture). An environment overrides
 * anything; an override that breaks a defining trait is an error that says
 * why the trait exists, unless the environment records the deviation with a
 * reason, which then appears in its resolved config for reviewers.
 */
import type { ConfigIssue } from "../core/errors";
import type { EfaClusterConfig } from "../efa-cluster";
import { expandServices, type VpcEndpointsConfig } from "../endpoints";
import type { NatMode, SubnetTiersProps } from "../network";
import type { SageMakerConfig } from "../sagemaker";
import type { SegmentedSecurityGroupsConfig } from "../security-groups";
import type { SiteToSiteVpnConfig } from "../vpn";

export const BLUEPRINT_NAMES = ["mvp", "tabularPipeline", "multiModal", "distributedLlm"] as const;
export type BlueprintName = (typeof BLUEPRINT_NAMES)[number];

/** The parts of an environment a blueprint shapes. EnvironmentConfig has this shape. */
export interface PlatformShape {
  readonly network: { readonly tiers: SubnetTiersProps; readonly nat?: NatMode };
  readonly securityGroups?: SegmentedSecurityGroupsConfig;
  readonly endpoints?: VpcEndpointsConfig<string>;
  readonly vpn?: SiteToSiteVpnConfig;
  readonly efaClusters?: Record<string, EfaClusterConfig>;
  readonly sagemaker?: SageMakerConfig;
}

/** A defining property of a blueprint. */
export interface Trait {
  readonly key: string;
  readonly description: string;
  /** Why the architecture needs it: shown when an override breaks it. */
  readonly why: string;
  readonly holds: (shape: PlatformShape) => boolean;
}

/**
 * A part the architecture calls for that no preset can hold: it needs the
 * team's own domains, links, partners or certificates. Listed in the docs,
 * never checked.
 */
export interface Suggestion {
  /** The EnvironmentConfig field that adds it. */
  readonly field: "hybridDns" | "directConnect" | "partnerEndpoints" | "inferenceIngress";
  /** When the architecture needs it. */
  readonly when: string;
}

export interface Blueprint {
  readonly title: string;
  readonly useCase: string;
  /** The preset, for the environment's AZs. */
  readonly preset: (azs: readonly string[]) => PlatformShape;
  readonly traits: readonly Trait[];
  /** Hybrid and serving parts the architecture calls for, configured by the team. */
  readonly suggests: readonly Suggestion[];
}

// A VPN tunnel on a virtual private gateway carries up to 1.25 Gbps ("Tunnel options for your AWS Site-to-Site VPN
// connection", Tunnel bandwidth options: Large, 5 Gbps, is not offered on a virtual private gateway;
// docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html): bulk data from on-premises wants Direct Connect.
const BULK_ON_PREMISES_DATA = "on-premises extracts outgrow the 1.25 Gbps of a VPN tunnel; the VPN stays as backup";

/** Public SSM parameter of the AWS Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04). */
export const DLAMI_GPU_PARAMETER = "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id";

const services = (s: PlatformShape) => expandServices(s.endpoints?.interface?.services ?? []);
const natOf = (s: PlatformShape) => s.network.nat ?? "none";

export const BLUEPRINTS: Readonly<Record<BlueprintName, Blueprint>> = {
  mvp: {
    title: "MVP experimentation",
    useCase: "one team trying ideas on public data; fast and cheap, not for sensitive data",
    preset: () => ({
      network: { tiers: { public: { prefixLength: 24 }, private: { prefixLength: 20 } }, nat: "none" },
      endpoints: { gateway: { s3: true, dynamodb: false }, interface: { services: [] } },
      sagemaker: {
        notebooks: {
          workstation: {
            directInternetAccess: true,
            directInternetAccessReason: "MVP experimentation: public packages and datasets without paying for NAT",
          },
        },
      },
    }),
    traits: [
      {
        key: "publicTier",
        description: "a public subnet and internet gateway for the workstation",
        why: "the MVP reaches public packages and datasets directly",
        holds: (s) => !!s.network.tiers.public,
      },
      {
        key: "noNat",
        description: "no NAT gateway",
        why: "an MVP should not pay $33 a month per NAT before it proves value",
        holds: (s) => natOf(s) === "none",
      },
      {
        key: "s3Gateway",
        description: "the S3 gateway endpoint",
        why: "datasets in S3 travel free and privately",
        holds: (s) => s.endpoints?.gateway?.s3 !== false,
      },
    ],
    suggests: [],
  },
  tabularPipeline: {
    title: "Tabular pipeline",
    useCase: "scheduled feature engineering and training on data from on-premises databases",
    preset: () => ({
      network: { tiers: { private: { prefixLength: 20 }, isolated: { prefixLength: 24 } }, nat: "none" },
      endpoints: { gateway: { s3: true, dynamodb: true }, interface: { services: ["essentials", "glue", "athena"] } },
    }),
    traits: [
      {
        key: "noNat",
        description: "no NAT gateway",
        why: "pipeline data must not leave for the internet; AWS APIs go through endpoints",
        holds: (s) => natOf(s) === "none",
      },
      {
        key: "noPublicTier",
        description: "private subnets only",
        why: "nothing in a tabular pipeline is served to the internet",
        holds: (s) => !s.network.tiers.public,
      },
      {
        key: "gatewayEndpoints",
        description: "S3 and DynamoDB gateway endpoints",
        why: "feature data and pipeline state stay on the AWS network, free",
        holds: (s) => s.endpoints?.gateway?.s3 !== false && s.endpoints?.gateway?.dynamodb !== false,
      },
      {
        key: "vpn",
        description: "a VPN gateway with at least one customer gateway",
        why: "the raw data lives in on-premises databases",
        holds: (s) => Object.keys(s.vpn?.customerGateways ?? {}).length > 0,
      },
    ],
    suggests: [
      { field: "hybridDns", when: "jobs reach on-premises databases by name (db.corp.example.com), and on-premises tools reach the VPC's" },
      { field: "directConnect", when: BULK_ON_PREMISES_DATA },
    ],
  },
  multiModal: {
    title: "Multi-modal training",
    useCase: "image, text and video models fed by managed AI services and public model hubs",
    preset: () => ({
      network: { tiers: { public: { prefixLength: 24 }, private: { prefixLength: 20 }, isolated: { prefixLength: 24 } }, nat: "single" },
      endpoints: { gateway: { s3: true, dynamodb: true }, interface: { services: ["sagemaker.api", "sagemaker.runtime", "rekognition"] } },
    }),
    traits: [
      { key: "nat", description: "a NAT gateway", why: "models and tokenizers come from public hubs", holds: (s) => natOf(s) !== "none" },
      {
        key: "aiEndpoints",
        description: "interface endpoints for SageMaker API, SageMaker runtime and Rekognition",
        why: "the heavy AWS traffic (jobs, invocations, image analysis) should not cross NAT at $0.045 per GB",
        holds: (s) => (["sagemaker.api", "sagemaker.runtime", "rekognition"] as const).every((x) => services(s).includes(x)),
      },
    ],
    suggests: [
      { field: "partnerEndpoints", when: "a vendor's feature store, labelling or monitoring service offers PrivateLink: no hole in the internet gateway" },
      { field: "inferenceIngress", when: "the trained models are served from the VPC to notebooks, applications or on-premises clients" },
    ],
  },
  distributedLlm: {
    title: "Distributed LLM training",
    useCase: "multi-node training of large models on EFA-connected GPU or Trainium clusters",
    preset: (azs) => ({
      network: {
        tiers: {
          public: { prefixLength: 24 },
          private: { prefixLength: 20 },
          isolated: { prefixLength: 24 },
          training: { prefixLength: 20, availabilityZones: [azs[0]] },
        },
        nat: "perAz",
      },
      endpoints: { gateway: { s3: true, dynamodb: true }, interface: { services: ["essentials", "ssm"] } },
      efaClusters: { llm: { instanceType: "p5.48xlarge", availabilityZone: azs[0], nodes: { max: 4 }, ami: { ssmParameter: DLAMI_GPU_PARAMETER } } },
    }),
    traits: [
      {
        key: "singleAzTraining",
        description: "a training tier in exactly one AZ",
        why: "EFA traffic does not cross subnets or AZs; a cluster placement group lives in one AZ",
        holds: (s) => !!s.network.tiers.training && s.network.tiers.training.availabilityZones?.length === 1,
      },
      {
        key: "efaCluster",
        description: "at least one EFA cluster",
        why: "the architecture exists to run EFA clusters",
        holds: (s) => Object.keys(s.efaClusters ?? {}).length > 0,
      },
    ],
    suggests: [
      { field: "directConnect", when: `training corpora come from on-premises storage: ${BULK_ON_PREMISES_DATA}` },
      { field: "partnerEndpoints", when: "experiment tracking or monitoring vendors offer PrivateLink" },
    ],
  },
};

/** Recursively merges plain objects; arrays and scalars in `override` replace; `null` removes a key. */
export function mergeConfig<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (override === null) return undefined as T;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    const merged = mergeConfig(out[key], value);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A blueprint an environment starts from, and the traits it deliberately breaks with reasons. */
export interface BlueprintRef {
  readonly name: BlueprintName;
  /** Trait key -> reason (at least 10 characters). @default - none */
  readonly deviations?: Record<string, string>;
}

/** Issues for every defining trait the shape breaks without a recorded deviation. */
export function checkBlueprint(ref: BlueprintRef, shape: PlatformShape): ConfigIssue[] {
  const blueprint = BLUEPRINTS[ref.name];
  if (!blueprint) {
    return [{ path: "blueprint.name", value: ref.name, message: "is not a blueprint", fix: `use one of ${BLUEPRINT_NAMES.join(", ")}` }];
  }
  const issues: ConfigIssue[] = [];
  const keys = blueprint.traits.map((t) => t.key);
  for (const [key, reason] of Object.entries(ref.deviations ?? {})) {
    if (!keys.includes(key))
      issues.push({
        path: `blueprint.deviations.${key}`,
        value: key,
        message: `is not a trait of the ${ref.name} blueprint`,
        fix: `use one of ${keys.join(", ")}`,
      });
    else if (reason.trim().length < 10)
      issues.push({
        path: `blueprint.deviations.${key}`,
        value: reason,
        message: "needs a reason of at least 10 characters",
        fix: "say why this environment departs from the blueprint",
      });
  }
  for (const trait of blueprint.traits) {
    if (trait.holds(shape) || ref.deviations?.[trait.key]) continue;
    issues.push({
      path: "blueprint",
      value: ref.name,
      message: `the configuration contradicts the ${ref.name} blueprint: it needs ${trait.description}, because ${trait.why}`,
      fix: `restore it, or record the departure: blueprint.deviations.${trait.key} = "<reason>"`,
    });
  }
  return issues;
}
