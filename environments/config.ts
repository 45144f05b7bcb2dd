/**
 * EnvironmentConfig: one environment as plain data, checked with zod for its
 * shape and with the modules' own validators for everything else. Errors name
 * the environment, the field, the value and the fix; all are reported at once.
 */
import { z } from "zod";
import {
  ConfigError,
  RULE_IDS,
  SHAPES,
  UNSUPPRESSIBLE_RULES,
  bucketNameProblem,
  checkCidr,
  checkPortSpec,
  overlaps,
  prefixIssues,
  reservedKeyIssues,
  stateKeyProblem,
  tagIssues,
  uniqueList,
  zodIssues,
  type ConfigIssue,
  type Exact,
  type PortSpec,
  type Protocol,
  type RuleId,
} from "../modules/core";
import {
  KNOWN_REGIONS,
  isKnownRegion,
  mlVpcPropsSchema,
  plannedNetwork,
  selectSubnets,
  tierLayout,
  validateMlVpc,
  type MlVpcProps,
  type SubnetTier,
  type ResolvedMlVpcProps,
} from "../modules/network";
import { networkAclsConfigSchema, planNetworkAcls, validateNetworkAcls, type TierNetworkAclsConfig } from "../modules/network-acls";
import type { HybridDnsConfig } from "../modules/hybrid-dns";
import type { PartnerEndpointsConfig } from "../modules/partner-endpoints";
import { directConnectChoice, hybridIssues, hybridSchemas, type EnvironmentDirectConnect, type InferenceIngressConfig } from "./hybrid";
import { endpointsConfigSchema, validateEndpoints, viewOf, type VpcEndpointsConfig } from "../modules/endpoints";
import { validateVpn, vpnConfigSchema, type SiteToSiteVpnConfig } from "../modules/vpn";
import { efaClusterConfigSchema, validateEfaCluster, type EfaClusterConfig } from "../modules/efa-cluster";
import { sagemakerConfigSchema, validateSageMaker, type SageMakerConfig } from "../modules/sagemaker";
import { BLUEPRINT_NAMES, checkBlueprint, type BlueprintRef } from "../modules/blueprints";
import { governanceConfigSchema, validateGovernance, type GovernanceConfig } from "../modules/governance";
import {
  DESCRIPTION_CHARS,
  groupsOf,
  securityGroupsConfigSchema,
  validateSecurityGroups,
  type SecurityGroupName,
  type SegmentedSecurityGroupsConfig,
} from "../modules/security-groups";

/** The tagging strategy: every resource carries these, through the provider's default_tags. */
export const REQUIRED_TAGS = ["Environment", "Project", "Owner", "CostCenter", "Compliance"] as const;
export type RequiredTag = (typeof REQUIRED_TAGS)[number];

/** Local state file, relative to the stack folder `cdktf.out/stacks/<env>/`. */
export interface LocalBackendConfig {
  readonly type: "local";
  /**
   * State path relative to the directory Terraform runs in. The default is
   * the project root when run from `cdktf.out/stacks/<env>/`, so cleaning
   * `cdktf.out` never deletes state.
   * @default - ../../../terraform.<env>.tfstate
   */
  readonly path?: string;
}

/** Remote state in S3, encrypted, with S3-native locking (`use_lockfile`). */
export interface S3BackendConfig {
  readonly type: "s3";
  readonly bucket: string;
  /** Bucket region. */
  readonly region: string;
  /** Key prefix; the state key is `<keyPrefix>/<env>/terraform.tfstate`. @default "ml-network" */
  readonly keyPrefix?: string;
  /** KMS key ARN for the state object. @default - the bucket's default encryption */
  readonly kmsKeyId?: string;
  /** Role for Terraform to assume to reach the bucket. @default - none: the caller's credentials */
  readonly roleArn?: string;
}

export type BackendConfig = LocalBackendConfig | S3BackendConfig;

/** One security-group rule between a group and the on-premises ranges. */
export interface OnPremisesAccess {
  /** Security group, e.g. `notebook`. */
  readonly group: SecurityGroupName;
  /** `ingress`: on-premises clients connect in; `egress`: the group connects out. @default "ingress" */
  readonly direction?: "ingress" | "egress";
  readonly port: PortSpec;
  /** IP protocol of the rule. @default "tcp" */
  readonly protocol?: Protocol;
  readonly description: string;
}

export interface EnvironmentConfig {
  /** Environment name: stack id, output folder, state key. Lower-case slug. */
  readonly name: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** Prefix of every Name tag. @default - ml-<name> */
  readonly namePrefix?: string;
  /** Provider default tags: Environment, Project, Owner, CostCenter and Compliance are required. */
  readonly tags: Record<string, string>;
  /** The VPC. `name`, `region` and `tags` come from the environment; the default NACL denies all (every subnet has a tier NACL). */
  readonly network: Omit<MlVpcProps, "name" | "region" | "tags" | "defaultNetworkAcl">;
  /** Security groups per function and their rules: with `{}`, the documented matrix, no internet egress. @default {} */
  readonly securityGroups?: SegmentedSecurityGroupsConfig;
  /** Network ACLs per tier. @default - the documented layout, with internetEgressPorts derived from the security groups' (443 at least) */
  readonly networkAcls?: TierNetworkAclsConfig;
  /** VPC endpoints: with `{}`, S3 and DynamoDB gateway endpoints, no interface endpoint. @default {} */
  readonly endpoints?: VpcEndpointsConfig<string>;
  /** Site-to-site VPN to the on-premises network. Needs onPremisesCidrs. @default - none */
  readonly vpn?: SiteToSiteVpnConfig;
  /**
   * Security-group rules between named groups and every on-premises range:
   * nothing on-premises reaches a group, or is reached from one, unless listed
   * here.
   * @default []
   */
  readonly onPremisesAccess?: OnPremisesAccess[];
  /** EFA training clusters by name, in the training tier. Turns on the `efa` security group. @default {} */
  readonly efaClusters?: Record<string, EfaClusterConfig>;
  /** SageMaker notebooks, Studio domain and guardrails, inside the VPC. @default - none (outputs still give the VpcConfigs) */
  readonly sagemaker?: SageMakerConfig;
  /**
   * Accepted compliance findings: the rule, the construct (path below the
   * stack, e.g. `network/vpc`) and why.
   * @default []
   */
  readonly suppressions?: { readonly rule: RuleId; readonly construct: string; readonly reason: string }[];
  /** AWS Config drift rules. @default - none */
  readonly governance?: GovernanceConfig;
  /** The reference architecture this environment starts from; its defining traits are checked. Set by fromBlueprint. @default - none */
  readonly blueprint?: BlueprintRef;
  /** Terraform state: a local file (at a path relative to the stack folder) or an S3 bucket. @default { type: "local" } */
  readonly backend?: BackendConfig;
  /** On-premises ranges reached over VPN; must not overlap any VPC. @default [] */
  readonly onPremisesCidrs?: string[];
  /**
   * Hybrid DNS through Route 53 Resolver: an inbound endpoint for on-premises
   * servers, forwarding rules for on-premises domains, a private hosted zone.
   * Needs vpn and onPremisesCidrs.
   * @default - none
   */
  readonly hybridDns?: HybridDnsConfig;
  /**
   * A Direct Connect gateway associated with the VPN's virtual private
   * gateway; AWS prefers its routes, and the VPN stays as the backup path.
   * Needs vpn.
   * @default - none
   */
  readonly directConnect?: EnvironmentDirectConnect;
  /** PrivateLink endpoints to partner services (feature stores, monitoring vendors), by partner name. @default - none */
  readonly partnerEndpoints?: PartnerEndpointsConfig<string>;
  /**
   * A load balancer in front of the inference group, its only caller on the
   * serving ports: internal by default, internet-facing by a named opt-in.
   * @default - none
   */
  readonly inferenceIngress?: InferenceIngressConfig;
}

const backendSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("local"), path: z.string().optional() }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string(),
    region: z.string(),
    keyPrefix: z.string().optional(),
    kmsKeyId: z.string().optional(),
    roleArn: z.string().optional(),
  }),
]);

export const environmentSchema = z.strictObject({
  name: z.string().refine((v) => /^[a-z][a-z0-9-]{0,19}$/.test(v), {
    message: "must be a lower-case slug of at most 20 characters",
    params: { fix: 'use a name such as "dev", "staging" or "prod"' },
  }),
  region: z.string(),
  namePrefix: z.string().optional(),
  tags: z.record(z.string(), z.string()),
  network: mlVpcPropsSchema.omit({ name: true, region: true, tags: true, defaultNetworkAcl: true }),
  securityGroups: securityGroupsConfigSchema.prefault({}),
  networkAcls: z.unknown().optional(),
  endpoints: endpointsConfigSchema.prefault({}),
  vpn: vpnConfigSchema.optional(),
  efaClusters: z.record(z.string(), efaClusterConfigSchema).default({}),
  sagemaker: sagemakerConfigSchema.optional(),
  governance: governanceConfigSchema.optional(),
  suppressions: uniqueList(z.strictObject({ rule: z.enum(RULE_IDS), construct: z.string(), reason: z.string() })).default([]),
  blueprint: z.strictObject({ name: z.enum(BLUEPRINT_NAMES), deviations: z.record(z.string(), z.string()).optional() }).optional(),
  onPremisesAccess: uniqueList(
    z.strictObject({
      group: z.string(),
      direction: z.enum(["ingress", "egress"]).optional(),
      port: z.union([z.number(), z.object({ from: z.number(), to: z.number() })]),
      protocol: z.enum(["tcp", "udp", "icmp", "all"]).optional(),
      description: z.string(),
    }),
  ).default([]),
  backend: backendSchema.default({ type: "local" }),
  onPremisesCidrs: uniqueList(z.string()).default([]),
  ...hybridSchemas,
});

type ParsedEnvironment = z.output<typeof environmentSchema>;

export type ResolvedEnvironment = Omit<z.output<typeof environmentSchema>, "networkAcls"> & {
  /** NACL settings; internet egress ports default to what the security groups need. */
  readonly networkAcls: z.output<typeof networkAclsConfigSchema>;
  /** The network props as MlVpc receives them. */
  readonly vpc: ResolvedMlVpcProps;
  readonly namePrefix: string;
};

// networkAcls is parsed separately (its egress ports default from the security groups).
const configMatchesSchema: Exact<Omit<z.input<typeof environmentSchema>, "networkAcls">, Omit<EnvironmentConfig, "networkAcls">> = true;
void configMatchesSchema;

/** Checks one environment on its own. Returns the resolved config and its issues. */
export function checkEnvironment(raw: EnvironmentConfig): { config?: ResolvedEnvironment; issues: ConfigIssue[] } {
  const reserved = reservedKeyIssues(raw);
  const dx = directConnectChoice(raw);
  const parsed = environmentSchema.safeParse(dx.input);
  if (!parsed.success || reserved.length > 0)
    return { issues: [...reserved, ...dx.issues, ...(parsed.success ? [] : zodIssues(parsed.error, dx.input, environmentSchema))] };
  const env = parsed.data;
  const issues: ConfigIssue[] = [...dx.issues];

  if (!isKnownRegion(env.region)) {
    issues.push({ path: "region", value: env.region, message: "is not a known AWS region", fix: `use one of ${KNOWN_REGIONS.join(", ")}` });
  }
  issues.push(...envTagIssues(env));
  const namePrefix = env.namePrefix ?? `ml-${env.name}`;
  const vpc: ResolvedMlVpcProps = {
    ...env.network,
    name: namePrefix,
    region: env.region,
    tags: {},
    defaultNetworkAcl: "denyAll",
  };
  issues.push(...prefixIssues("network", validateMlVpc(vpc)));
  issues.push(...onPremisesAccessIssues(env));
  const securityGroups = resolveSecurityGroups(env);
  issues.push(...prefixIssues("securityGroups", validateSecurityGroups({ ...env.securityGroups, efa: securityGroups.efa })));
  // The network MlVpc will build, selected the way the modules will select it.
  const planned = plannedNetwork(vpc);
  const layout = tierLayout(planned);
  if (env.sagemaker) issues.push(...prefixIssues("sagemaker", validateSageMaker(env.sagemaker, layout, namePrefix)));
  issues.push(...suppressionIssues(env));
  if (env.governance) issues.push(...prefixIssues("governance", validateGovernance(env.governance, env.region, namePrefix)));
  if (env.blueprint) issues.push(...checkBlueprint(env.blueprint, raw));
  issues.push(...efaClusterIssues(env, planned, namePrefix));
  issues.push(...vpnIssues(env, namePrefix));
  issues.push(...prefixIssues("endpoints", validateEndpoints(env.endpoints, viewOf(planned))));

  const { networkAcls, issues: naclIssues } = resolveNetworkAcls(env, planned);
  issues.push(...naclIssues);
  if (env.namePrefix !== undefined && !/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(env.namePrefix)) {
    issues.push({
      path: "namePrefix",
      value: env.namePrefix,
      message: "must be 2-40 lower-case letters, digits or hyphens",
      fix: 'use a slug such as "ml-prod"',
    });
  }

  issues.push(...onPremisesCidrIssues(env));
  issues.push(...backendIssues(env));
  // VPN routes default to the tiers whose NACLs admit on-premises ranges.
  const presentTiers = selectSubnets(planned).tiers;
  const vpn = env.vpn && {
    ...env.vpn,
    propagateToTiers: env.vpn.propagateToTiers ?? networkAcls.onPremisesTiers.filter((t) => t !== "public" && presentTiers.includes(t)),
  };
  issues.push(...environmentHybridIssues(env, planned, networkAcls, securityGroups, namePrefix, vpn?.propagateToTiers ?? []));
  return { config: { ...env, namePrefix, vpc, networkAcls, securityGroups, vpn }, issues };
}

/** Security groups as the module receives them: EFA on when a cluster needs it, on-premises access as extra rules. */
function resolveSecurityGroups(env: ParsedEnvironment) {
  return {
    ...env.securityGroups,
    efa: env.securityGroups.efa || Object.keys(env.efaClusters).length > 0,
    extraRules: [
      ...env.securityGroups.extraRules,
      ...env.onPremisesAccess.flatMap((a) =>
        env.onPremisesCidrs.map((cidr) => ({
          group: a.group,
          direction: a.direction ?? ("ingress" as const),
          port: a.port,
          protocol: a.protocol,
          cidr,
          description: `on-premises: ${a.description}`,
        })),
      ),
    ],
  };
}

/** Hybrid DNS, Direct Connect, partner endpoints and the inference load balancer, against the rest of the environment. */
function environmentHybridIssues(
  env: ParsedEnvironment,
  planned: ReturnType<typeof plannedNetwork>,
  networkAcls: z.output<typeof networkAclsConfigSchema>,
  securityGroups: ReturnType<typeof resolveSecurityGroups>,
  namePrefix: string,
  onPremisesRouteTiers: readonly SubnetTier[],
): ConfigIssue[] {
  if (!env.hybridDns && !env.directConnect && !env.partnerEndpoints && !env.inferenceIngress) return [];
  const vpcCidrs = validVpcCidrs(env.network);
  const onPremisesCidrs = validCidrs(env.onPremisesCidrs);
  // Every other way in: flows to inference and inference ingress edges of extraRules (onPremisesAccess lands there too).
  const flowsIn = securityGroups.extraRules.flatMap((r) => ("to" in r && r.to === "inference" ? [r.from] : []));
  const edgesIn = securityGroups.extraRules.flatMap((r) =>
    "group" in r && r.group === "inference" && r.direction === "ingress"
      ? [r.cidr ?? ("prefixListId" in r && r.prefixListId ? r.prefixListId : "a prefix list")]
      : [],
  );
  return hybridIssues({
    namePrefix,
    planned,
    vpcCidrs,
    onPremisesCidrs,
    hasVpn: env.vpn !== undefined,
    onPremisesRouteTiers,
    groups: groupsOf(securityGroups),
    inference: {
      servingPorts: env.securityGroups.inference.servingPorts,
      callerGroups: [...env.securityGroups.inference.callerGroups, ...flowsIn],
      callerCidrs: [...env.securityGroups.inference.callerCidrs, ...edgesIn],
    },
    customServiceNames: Object.values(env.endpoints.interface.customServices).flatMap((c) => (c.serviceName ? [c.serviceName] : [])),
    naclRules: vpcCidrs.length > 0 ? planNetworkAcls(networkAcls, selectSubnets(planned).tiers, vpcCidrs, onPremisesCidrs) : [],
    hybridDns: env.hybridDns,
    directConnect: env.directConnect,
    partnerEndpoints: env.partnerEndpoints,
    inferenceIngress: env.inferenceIngress,
  });
}

/** EFA clusters: short names, and layouts that fit the planned training subnets. */
function efaClusterIssues(env: ParsedEnvironment, planned: ReturnType<typeof plannedNetwork>, namePrefix: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const trainingSubnets: Record<string, string[]> = {};
  for (const s of selectSubnets(planned, { tiers: ["training"] }).subnets) (trainingSubnets[s.availabilityZone] ??= []).push(s.id);
  for (const [name, cluster] of Object.entries(env.efaClusters)) {
    if (!/^[a-z][a-z0-9-]{0,20}$/.test(name))
      issues.push({ path: `efaClusters.${name}`, value: name, message: "is not a short lower-case name", fix: 'use a name such as "llm"' });
    issues.push(
      ...prefixIssues(`efaClusters.${name}`, validateEfaCluster(cluster, trainingSubnets, "training", { network: namePrefix, cluster: name, path: "" }).issues),
    );
  }
  return issues;
}

/** Tags: AWS tag limits, and the tags every environment must carry. */
function envTagIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // The modules add Name, and Tier or Cluster, to every resource beside these (provider default tags count too).
  issues.push(...tagIssues(env.tags, "tags", ["Name", "Tier"]));
  for (const tag of REQUIRED_TAGS) {
    const value = env.tags[tag];
    if (value === undefined || value.trim() === "") {
      issues.push({
        path: `tags.${tag}`,
        value,
        message: "required tag is missing or empty",
        fix: `add ${tag}: "<value>" to tags (required: ${REQUIRED_TAGS.join(", ")})`,
      });
    }
  }
  return issues;
}

/** On-premises access entries: group, ports, description, and declared ranges. */
function onPremisesAccessIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  env.onPremisesAccess.forEach((access, i) => {
    const path = `onPremisesAccess[${i}]`;
    const groups = groupsOf(env.securityGroups);
    if (!groups.includes(access.group as never))
      issues.push({ path: `${path}.group`, value: access.group, message: "is not a security group of this network", fix: `use one of ${groups.join(", ")}` });
    if (access.protocol === "icmp") {
      const ok = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= -1 && n <= 255;
      const p = access.port as unknown;
      if (!(typeof p === "object" && p !== null && ok((p as { from: unknown }).from) && ok((p as { to: unknown }).to))) {
        issues.push({
          path: `${path}.port`,
          value: access.port,
          message: "is a port, but ICMP has none: give the ICMP type and code",
          fix: "write { from: <type>, to: <code> } (e.g. { from: 3, to: 4 }), -1 for any",
        });
      }
    } else if (access.protocol !== "all") issues.push(...checkPortSpec(`${path}.port`, access.port));
    if (!DESCRIPTION_CHARS.test(access.description))
      issues.push({
        path: `${path}.description`,
        value: access.description,
        message: "is empty, too long, or has characters AWS rejects",
        fix: "use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
      });
  });
  if (env.onPremisesAccess.length > 0 && env.onPremisesCidrs.length === 0) {
    issues.push({
      path: "onPremisesAccess",
      value: env.onPremisesAccess,
      message: "grants access to on-premises ranges, but onPremisesCidrs is empty",
      fix: "declare the on-premises ranges in onPremisesCidrs",
    });
  }
  return issues;
}

/** Suppressions need a real reason and may not hide the unsuppressible rules. */
function suppressionIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  env.suppressions.forEach((sup, i) => {
    if (sup.reason.trim().length < 10)
      issues.push({
        path: `suppressions[${i}].reason`,
        value: sup.reason,
        message: "is shorter than 10 characters",
        fix: "write why the finding is accepted; auditors read it",
      });
    if (UNSUPPRESSIBLE_RULES.includes(sup.rule))
      issues.push({
        path: `suppressions[${i}].rule`,
        value: sup.rule,
        message: "cannot be suppressed (SSH and RDP must never be open to the internet)",
        fix: "remove the rule that opens the port",
      });
  });
  return issues;
}

/** The VPN against the VPC and the on-premises ranges. */
function vpnIssues(env: ParsedEnvironment, namePrefix: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (env.vpn) {
    if (env.onPremisesCidrs.length === 0) {
      issues.push({
        path: "onPremisesCidrs",
        value: [],
        message: "is empty while a VPN is configured; NACLs and security groups admit only declared on-premises ranges",
        fix: 'declare the on-premises ranges behind the VPN, e.g. ["172.16.0.0/16"]',
      });
    }
    const vpcBlocks = validVpcCidrs(env.network);
    const onPrem = validCidrs(env.onPremisesCidrs);
    issues.push(
      ...prefixIssues(
        "vpn",
        validateVpn(env.vpn, vpcBlocks, onPrem, namePrefix).filter((i) => !i.path.startsWith("onPremisesCidrs")),
      ),
    );
  }
  return issues;
}

/** Declared on-premises ranges: valid, and clear of the VPC. */
function onPremisesCidrIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  env.onPremisesCidrs.forEach((cidr, i) => {
    const path = `onPremisesCidrs[${i}]`;
    const c = checkCidr(cidr);
    if (!c.ok) {
      issues.push({ path, value: cidr, message: c.reason, fix: 'use a network in CIDR notation, e.g. "172.16.0.0/16"' });
      return;
    }
    for (const block of [env.network.cidr, ...env.network.secondaryCidrs]) {
      if (checkCidr(block).ok && overlaps(cidr, block)) {
        issues.push({
          path,
          value: cidr,
          message: `overlaps this environment's VPC CIDR ${block}; routes to on-premises would shadow the VPC`,
          fix: "re-address the VPC or declare the exact on-premises ranges",
        });
      }
    }
  });

  return issues;
}

/** Where the state lives: S3 rules, or a relative local path. */
function backendIssues(env: ParsedEnvironment): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (env.backend.type === "s3") issues.push(...s3BackendIssues(env.backend, env.name));
  if (env.backend.type === "local" && env.backend.path !== undefined && isAbsolute(env.backend.path)) {
    issues.push({
      path: "backend.path",
      value: env.backend.path,
      message: "is absolute; the synthesized JSON would only work on this machine",
      fix: "use a path relative to cdktf.out/stacks/<env>/, or an S3 backend",
    });
  }
  return issues;
}

/**
 * NACL settings: internet egress ports default to exactly the ports the
 * security groups may use there (443 at least, for gateway endpoints); VPN
 * propagation and security-group ports must agree with them.
 */
function resolveNetworkAcls(
  env: ParsedEnvironment,
  planned: ReturnType<typeof plannedNetwork>,
): { networkAcls: z.output<typeof networkAclsConfigSchema>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const sgInternetPorts = env.securityGroups.internetEgress.length > 0 ? env.securityGroups.internetEgressPorts : [];
  const naclInput = (env.networkAcls ?? {}) as Record<string, unknown>;
  const naclParsed = networkAclsConfigSchema.safeParse({
    ...naclInput,
    internetEgressPorts: naclInput.internetEgressPorts ?? [...new Set([443, ...sgInternetPorts])],
  });
  let networkAcls = networkAclsConfigSchema.parse({});
  if (!naclParsed.success) {
    issues.push(...prefixIssues("networkAcls", zodIssues(naclParsed.error, naclInput, networkAclsConfigSchema)));
  } else {
    networkAcls = naclParsed.data;
    const tiers = selectSubnets(planned).tiers;
    const vpcCidrs = validVpcCidrs(env.network);
    const onPrem = validCidrs(env.onPremisesCidrs);
    if (vpcCidrs.length > 0) {
      issues.push(
        ...prefixIssues(
          "networkAcls",
          validateNetworkAcls(networkAcls, tiers, vpcCidrs, onPrem).filter((i) => !i.path.startsWith("onPremisesCidrs")),
        ),
      );
    }
    // On-premises routes go only where the NACLs admit on-premises traffic.
    env.vpn?.propagateToTiers?.forEach((tier, i) => {
      if (!networkAcls.onPremisesTiers.includes(tier)) {
        issues.push({
          path: `vpn.propagateToTiers[${i}]`,
          value: tier,
          message: `learns on-premises routes, but the ${tier} NACL drops on-premises traffic (networkAcls.onPremisesTiers is ${JSON.stringify(networkAcls.onPremisesTiers)})`,
          fix: `add "${tier}" to networkAcls.onPremisesTiers, or remove it from vpn.propagateToTiers (it defaults to networkAcls.onPremisesTiers)`,
        });
      }
    });
    sgInternetPorts.forEach((port, i) => {
      if (!networkAcls.internetEgressPorts.includes(port)) {
        issues.push({
          path: `securityGroups.internetEgressPorts[${i}]`,
          value: port,
          message: "is allowed by the security groups but blocked by networkAcls.internetEgressPorts",
          fix: `add ${port} to networkAcls.internetEgressPorts, or omit that field to derive it`,
        });
      }
    });
  }
  return { networkAcls, issues };
}

/**
 * What Terraform's S3 backend and S3 itself would refuse: bucket naming rules,
 * the state key (no leading or trailing "/", no "//"), a role that is not an
 * IAM role ARN, a KMS key that is not an id, alias or ARN.
 */
function s3BackendIssues(b: z.output<typeof backendSchema> & { type: "s3" }, envName: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const bucket = bucketNameProblem(b.bucket);
  if (bucket)
    issues.push({
      path: "backend.bucket",
      value: b.bucket,
      message: `is not a valid S3 bucket name: it ${bucket}`,
      fix: "use 3-63 lower-case letters, digits, dots or hyphens, without two dots in a row",
    });
  if (!isKnownRegion(b.region))
    issues.push({ path: "backend.region", value: b.region, message: "is not a known AWS region", fix: `use one of ${KNOWN_REGIONS.join(", ")}` });
  if (b.keyPrefix !== undefined) {
    const key = `${b.keyPrefix}/${envName}/terraform.tfstate`;
    const problem = stateKeyProblem(b.keyPrefix) ?? stateKeyProblem(key);
    if (problem)
      issues.push({
        path: "backend.keyPrefix",
        value: b.keyPrefix,
        message: `${problem} (state key ${JSON.stringify(key)})`,
        fix: 'use a prefix such as "ml-network" or "platform/network", without leading, trailing or doubled slashes',
      });
  }
  if (b.roleArn !== undefined && !SHAPES.iamRoleArn.re.test(b.roleArn))
    issues.push({ path: "backend.roleArn", value: b.roleArn, message: "is not an IAM role ARN", fix: `use ${SHAPES.iamRoleArn.example}` });
  if (b.kmsKeyId !== undefined && !SHAPES.kmsKeyAny.re.test(b.kmsKeyId))
    issues.push({ path: "backend.kmsKeyId", value: b.kmsKeyId, message: "is not a KMS key id, alias or ARN", fix: `use ${SHAPES.kmsKeyAny.example}` });
  return issues;
}

/** The CIDRs of a list that parse (the others are reported at their own field). */
function validCidrs(cidrs: readonly string[]): string[] {
  return cidrs.filter((c) => checkCidr(c).ok);
}

/** A network's primary and secondary CIDRs that parse. */
function validVpcCidrs(network: { readonly cidr: string; readonly secondaryCidrs: readonly string[] }): string[] {
  return validCidrs([network.cidr, ...network.secondaryCidrs]);
}

function isAbsolute(p: string): boolean {
  return p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\");
}

/** Every invalid environment of a set, each with its issues. */
export class EnvironmentConfigError extends ConfigError {
  constructor(readonly errors: readonly ConfigError[]) {
    super(
      errors.map((e) => e.scope).join(", "),
      errors.flatMap((e) => e.issues),
      errors.map((e) => e.message).join("\n\n"),
    );
    this.name = "EnvironmentConfigError";
  }
}

/**
 * Validates a set of environments, alone and against each other (names
 * unique, VPC CIDRs disjoint across environments and from every declared
 * on-premises range). Throws an EnvironmentConfigError listing every problem.
 */
export function resolveEnvironments(raws: readonly EnvironmentConfig[]): ResolvedEnvironment[] {
  const checked = raws.map((raw) => ({ raw, ...checkEnvironment(raw) }));
  const issuesByEnv = new Map<string, ConfigIssue[]>();
  const label = (raw: EnvironmentConfig, i: number) => (typeof raw?.name === "string" ? raw.name : `#${i + 1}`);
  checked.forEach((c, i) => issuesByEnv.set(label(c.raw, i), [...c.issues]));

  const seen = new Map<string, number>();
  checked.forEach((c, i) => {
    const name = label(c.raw, i);
    if (seen.has(name)) {
      issuesByEnv.get(name)!.push({ path: "name", value: name, message: "is used by another environment", fix: "give every environment a unique name" });
    }
    seen.set(name, i);
  });

  // Cross-environment CIDR checks, on environments whose own CIDRs are valid.
  const valid = checked.filter((c) => c.config && checkCidr(c.config.network.cidr).ok);
  for (let i = 0; i < valid.length; i++) {
    const a = valid[i].config!;
    const aBlocks = validVpcCidrs(a.network);
    for (let j = 0; j < valid.length; j++) {
      if (i === j) continue;
      const b = valid[j].config!;
      const bBlocks = validVpcCidrs(b.network);
      if (j > i) {
        for (const block of aBlocks) {
          const clash = bBlocks.find((other) => overlaps(block, other));
          if (clash) {
            issuesByEnv.get(b.name)!.push({
              path: clash === b.network.cidr ? "network.cidr" : `network.secondaryCidrs[${b.network.secondaryCidrs.indexOf(clash)}]`,
              value: clash,
              message: `overlaps environment "${a.name}" (VPC CIDR ${block}); overlapping VPCs cannot be peered or share a VPN`,
              fix: "give each environment its own range, e.g. 10.10.0.0/16, 10.20.0.0/16, 10.30.0.0/16",
            });
          }
        }
      }
      b.onPremisesCidrs.forEach((onPrem, k) => {
        if (!checkCidr(onPrem).ok) return;
        const clash = aBlocks.find((block) => overlaps(block, onPrem));
        if (clash) {
          issuesByEnv.get(b.name)!.push({
            path: `onPremisesCidrs[${k}]`,
            value: onPrem,
            message: `overlaps the VPC CIDR ${clash} of environment "${a.name}"`,
            fix: "re-address the VPC or declare the exact on-premises ranges",
          });
        }
      });
    }
  }

  const errors = [...issuesByEnv.entries()].filter(([, issues]) => issues.length > 0).map(([name, issues]) => new ConfigError(`environment "${name}"`, issues));
  if (errors.length > 0) throw new EnvironmentConfigError(errors);
  return checked.map((c) => c.config!);
}

/** Validates one environment (including its own cross-field checks) and returns it resolved. */
export function resolveEnvironment(raw: EnvironmentConfig): ResolvedEnvironment {
  return resolveEnvironments([raw])[0];
}
