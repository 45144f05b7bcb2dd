/**
 * MlVpcEndpoints: AWS traffic stays off NAT.
 *
 * Gateway endpoints for S3 and DynamoDB (free) on every non-public route
 * table; interface endpoints (PrivateLink, billed per AZ-hour) from a typed
 * catalog or described in the props (`interface.customServices`), one network
 * interface per AZ of a chosen tier, private DNS on, the `vpcEndpoints`
 * security group attached; a data-perimeter policy on each endpoint whose
 * service supports one. Route-table and subnet attachments are separate
 * resources keyed by name, so adding an AZ, a tier or a service only adds.
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { z } from "zod";
import { hasOwn, uniqueList } from "../core/schema";
import { subnetTierSchema as tier } from "../network/schema";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointRouteTableAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-route-table-association";
import { VpcEndpointSubnetAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-subnet-association";
import { AwsContext } from "../core/aws-context";
import { didYouMean } from "../core/suggest";
import { formatPath, resolveProps, type ConfigIssue } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { policyJson, type PolicyDocument } from "../core/policy";
import { named } from "../core/tags";
import type { Exact } from "../core/types";
import { assertNetwork, TIER_GROUPS, selectSubnets, tierLayout, type IMlNetwork, type SubnetTier } from "../network";
import {
  ENDPOINT_PRESETS,
  INTERFACE_CATALOG,
  INTERFACE_SERVICES,
  expandServices,
  serviceName,
  serviceNameFromSuffix,
  type CatalogEntry,
  type EndpointPreset,
  type InterfaceService,
} from "./catalog";
import { checkPolicyDocument, perimeterPolicy, s3EndpointPolicy, type PerimeterOptions } from "./policies";
import { isEndpointServiceName, parseServiceName, suffixProblem } from "./service-names";

export {
  INTERFACE_CATALOG,
  INTERFACE_SERVICES,
  ENDPOINT_PRESETS,
  serviceName,
  serviceNameFromSuffix,
  expandServices,
  type InterfaceService,
  type EndpointPreset,
  type CatalogEntry,
} from "./catalog";
export { GLOBAL_SERVICE_NAMES, parseServiceName, isEndpointServiceName, type ParsedServiceName } from "./service-names";
export { perimeterPolicy, s3EndpointPolicy, checkPolicyDocument } from "./policies";
export { awsOwnedBuckets, awsOwnedObjectArns, type AwsOwnedBucket } from "./aws-owned-buckets";

/**
 * An interface endpoint service the catalog does not list, described in the
 * props: a name in `interface.services` that refers to it gets an endpoint
 * like a catalog service's (same tier, AZs, security group and perimeter
 * policy). Give exactly one of `serviceName` and `suffix`.
 */
export interface CustomInterfaceService {
  /**
   * The full PrivateLink service name: an AWS service in the network's Region
   * (`com.amazonaws.<region>.<service>`, `aws.sagemaker.<region>.<service>`,
   * `aws.api.<region>.<service>`, `api.aws.<region>.<service>`), a global one
   * (`com.amazonaws.iam`), or an endpoint service of another account or
   * partner (`com.amazonaws.vpce.<region>.vpce-svc-<id>`). Give this or `suffix`.
   * @default - none: built from suffix
   */
  readonly serviceName?: string;
  /**
   * The part after the Region: the module builds `com.amazonaws.<region>.<suffix>`
   * with the network's Region, as it does for the catalog, so the entry works
   * in any Region. Give this or `serviceName`.
   * @default - none: serviceName gives the whole name
   */
  readonly suffix?: string;
  /** What the service is for on this platform (as the catalog says for each of its services). */
  readonly purpose: string;
  /**
   * Whether the service accepts an endpoint policy (`VpcEndpointPolicySupported`
   * in `aws ec2 describe-vpc-endpoint-services --service-names <name>`). With
   * true the endpoint gets the same data-perimeter policy as catalog services
   * (or `policy.custom.<name>`); with false none, and IAM alone decides.
   * @default - true, or false for an endpoint service (com.amazonaws.vpce.*), which AWS gives full access
   */
  readonly policySupported?: boolean;
  /**
   * Private DNS on the endpoint, so the service's usual host name resolves to
   * it inside the VPC. An endpoint service has a private DNS name only when its
   * owner configured and verified one.
   * @default - true, or false for an endpoint service (com.amazonaws.vpce.*)
   */
  readonly privateDns?: boolean;
}

/**
 * Everything but the network and the security group: what an environment
 * configures. `Custom` is the union of the names of `interface.customServices`,
 * inferred by `new MlVpcEndpoints(...)`; write `VpcEndpointsConfig<"my-svc">`
 * (or `VpcEndpointsConfig<string>` for plain data checked at synth) when you
 * annotate a config that uses custom services.
 */
export interface VpcEndpointsConfig<Custom extends string = never> {
  /** Gateway endpoints (free): S3 and DynamoDB on the route tables of the chosen tiers. @default {} */
  readonly gateway?: {
    /** S3 gateway endpoint. @default true */
    readonly s3?: boolean;
    /** DynamoDB gateway endpoint. @default true */
    readonly dynamodb?: boolean;
    /** Tiers whose route tables get them. @default - every non-public tier present */
    readonly tiers?: SubnetTier[];
  };
  /** Interface endpoints (PrivateLink, billed per AZ-hour). @default {} */
  readonly interface?: {
    /**
     * Catalog services, presets (`essentials`, `ssm`, `observability`) or names
     * of `customServices`. Plain-data configs are checked at synth, with "did you mean".
     * @default []
     */
    readonly services?: (InterfaceService | EndpointPreset | NoInfer<Custom>)[];
    /**
     * Services the catalog lacks, by the name `services` uses for them (which
     * also names the endpoint's construct id and Name tag). A name may not be a
     * catalog service or preset; every entry must be listed in `services`.
     * @default {}
     */
    readonly customServices?: Record<Custom, CustomInterfaceService>;
    /** Tier holding the endpoint network interfaces. @default "private" */
    readonly tier?: SubnetTier;
    /** AZs to place them in. One AZ is cheaper; two or more survive an AZ outage. @default - every AZ of the tier */
    readonly availabilityZones?: string[];
  };
  /** The data-perimeter policies on the endpoints. @default {} */
  readonly policy?: {
    /** Allow principals of this AWS Organization instead of only this account. @default - none: this account only */
    readonly organizationId?: string;
    /** Limit the S3 endpoints to these buckets (`arn:aws:s3:::name`); empty means any bucket, with the perimeter on principals. @default [] */
    readonly s3BucketArns?: string[];
    /** Your own policy JSON per interface service, replacing the perimeter policy. @default {} */
    readonly custom?: Record<string, string>;
  };
}

export interface MlVpcEndpointsProps<Custom extends string = never> extends VpcEndpointsConfig<Custom> {
  readonly network: IMlNetwork;
  /** Security groups for interface endpoints (the `vpcEndpoints` group). Required when interface endpoints exist. @default - none */
  readonly securityGroupIds?: string[];
  /** Extra tags on every endpoint. @default - none */
  readonly tags?: Record<string, string>;
}

const customServiceSchema = z.strictObject({
  serviceName: z.string().optional(),
  suffix: z.string().optional(),
  purpose: z.string(),
  policySupported: z.boolean().optional(),
  privateDns: z.boolean().optional(),
});

export const endpointsConfigSchema = z.strictObject({
  gateway: z.strictObject({ s3: z.boolean().default(true), dynamodb: z.boolean().default(true), tiers: uniqueList(tier).optional() }).prefault({}),
  interface: z
    .strictObject({
      services: uniqueList(z.string()).default([]),
      customServices: z.record(z.string(), customServiceSchema).default({}),
      tier: tier.default("private"),
      availabilityZones: uniqueList(z.string()).optional(),
    })
    .prefault({}),
  policy: z
    .strictObject({
      organizationId: z.string().optional(),
      s3BucketArns: uniqueList(z.string()).default([]),
      custom: z.record(z.string(), z.string()).default({}),
    })
    .prefault({}),
});
export type ResolvedEndpointsConfig = z.output<typeof endpointsConfigSchema>;
// With any custom-service names (string): the literal unions are the props' stricter view of the same shape.
const configMatchesSchema: Exact<z.input<typeof endpointsConfigSchema>, VpcEndpointsConfig<string>> = true;
void configMatchesSchema;

/** What validation needs to know of the network. */
export interface EndpointNetworkView {
  /** AZs per tier present. */
  readonly tiers: Partial<Record<SubnetTier, readonly string[]>>;
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
  /** The network's Region when known at synth (not a Terraform reference): full custom service names must name it. */
  readonly region?: string;
}

export function viewOf(network: IMlNetwork): EndpointNetworkView {
  const region = network.region !== undefined && !Token.isUnresolved(network.region) ? network.region : undefined;
  return { tiers: tierLayout(network), dnsSupport: network.dnsSupport, dnsHostnames: network.dnsHostnames, region };
}

/** How one interface service (catalog or custom) becomes an endpoint. */
export interface InterfaceServiceSpec {
  /** The PrivateLink service name in the Region. */
  readonly serviceName: string;
  readonly policySupported: boolean;
  /** Deny requests without TLS in the perimeter policy (S3 and DynamoDB). */
  readonly servesPlainHttp: boolean;
  readonly privateDns: boolean;
  /** Described in `interface.customServices`, not taken from the catalog. */
  readonly custom: boolean;
}

type ResolvedCustomServices = ResolvedEndpointsConfig["interface"]["customServices"];

/**
 * The endpoint settings of a service name from `interface.services` (after
 * presets are expanded): the catalog's entry, or the custom service's with its
 * defaults applied. Undefined for a name that is neither.
 */
export function interfaceServiceSpec(service: string, customServices: ResolvedCustomServices, region: string): InterfaceServiceSpec | undefined {
  if (hasOwn(INTERFACE_CATALOG, service)) {
    const entry: CatalogEntry = INTERFACE_CATALOG[service as InterfaceService];
    return {
      serviceName: serviceName(service as InterfaceService, region),
      policySupported: entry.policySupported,
      servesPlainHttp: entry.servesPlainHttp ?? false,
      privateDns: true,
      custom: false,
    };
  }
  if (!hasOwn(customServices, service)) return undefined;
  const c = customServices[service];
  const name = c.serviceName ?? serviceNameFromSuffix(c.suffix ?? "", region);
  const endpointService = isEndpointServiceName(name);
  return {
    serviceName: name,
    policySupported: c.policySupported ?? !endpointService,
    servesPlainHttp: false,
    privateDns: c.privateDns ?? !endpointService,
    custom: true,
  };
}

/** The construct-id key of an interface service: its name with dots as hyphens (`sagemaker.api` -> `sagemaker-api`). */
export function interfaceKey(service: string): string {
  return service.replace(/\./g, "-");
}

/** Gateway tiers: configured, or every non-public tier the network has. */
export function gatewayTiers(cfg: ResolvedEndpointsConfig, view: EndpointNetworkView): SubnetTier[] {
  return cfg.gateway.tiers ?? TIER_GROUPS.nonPublic.filter((t) => view.tiers[t]?.length);
}

/** Interface endpoint AZs: configured, or every AZ of the tier. */
export function interfaceAzs(cfg: ResolvedEndpointsConfig, view: EndpointNetworkView): readonly string[] {
  return cfg.interface.availabilityZones ?? view.tiers[cfg.interface.tier] ?? [];
}

/** A stand-in Region, for comparing service names and reading what does not depend on the Region. */
const ANY_REGION = "<region>";

/**
 * Checks of `interface.customServices`: names that are slugs and clash with no
 * catalog service, preset or construct id; exactly one of serviceName and
 * suffix, each of a real shape; a full name in the network's Region; no two
 * services resolving to the same service name; no policy on an endpoint
 * service; and every entry used by `interface.services` (an unused entry is an
 * error, not a warning: it creates nothing, and is usually a name misspelled
 * on one side).
 */
function customServiceIssues(cfg: ResolvedEndpointsConfig, view: EndpointNetworkView, services: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const custom = cfg.interface.customServices;
  const at = (name: string, ...field: string[]) => formatPath(["interface", "customServices", name, ...field]);
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  // Service names compared without their Region: a suffix and a full name of the same service meet.
  const canonical = (name: string) => {
    const region = parseServiceName(name)?.region;
    return region ? name.replace(`.${region}.`, `.${ANY_REGION}.`) : name;
  };
  const taken = new Map<string, string>(INTERFACE_SERVICES.map((s) => [serviceName(s, ANY_REGION), `the catalog's "${s}"`]));
  const keys = new Map<string, string>(INTERFACE_SERVICES.map((s) => [interfaceKey(s), `the catalog's "${s}"`]));

  for (const [name, c] of Object.entries(custom)) {
    if (hasOwn(INTERFACE_CATALOG, name) || hasOwn(ENDPOINT_PRESETS, name)) {
      const what = hasOwn(INTERFACE_CATALOG, name) ? "a catalog service" : "a preset";
      add(
        at(name),
        name,
        `is ${what}; a custom service needs a name of its own`,
        `use "${name}" from the catalog in interface.services and remove this entry, or rename it`,
      );
      continue;
    }
    if (!/^[a-z][a-z0-9.-]{0,62}[a-z0-9]$/.test(name) || name.includes("..")) {
      add(
        at(name),
        name,
        "is not a service name: 2 to 64 lower-case letters, digits, hyphens and dots, starting with a letter",
        'name it after the service, e.g. "bedrock-agent-runtime"',
      );
      continue;
    }
    const key = interfaceKey(name);
    const sameKey = keys.get(key);
    if (sameKey) {
      add(at(name), name, `would get the same construct id (interface-${key}) as ${sameKey}`, "rename it");
      continue;
    }
    keys.set(key, `the custom service "${name}"`);

    if (!services.includes(name)) {
      add(at(name), name, "is not listed in interface.services, so no endpoint is created for it", `add "${name}" to interface.services, or remove the entry`);
    }
    if (c.purpose.trim() === "") add(at(name, "purpose"), c.purpose, "is empty", 'say what the endpoint is for, e.g. "Bedrock agents from training jobs"');

    if ((c.serviceName === undefined) === (c.suffix === undefined)) {
      add(
        at(name),
        { serviceName: c.serviceName, suffix: c.suffix },
        "needs exactly one of serviceName and suffix",
        'give suffix: "<service>" for an AWS service (the module adds com.amazonaws.<region>.), or serviceName with the full name',
      );
      continue;
    }
    let full: string;
    if (c.suffix !== undefined) {
      const problem = suffixProblem(c.suffix);
      if (problem) {
        add(at(name, "suffix"), c.suffix, problem.message, problem.fix);
        continue;
      }
      full = serviceNameFromSuffix(c.suffix, ANY_REGION);
    } else {
      full = c.serviceName!;
      const parsed = parseServiceName(full);
      if (!parsed) {
        add(
          at(name, "serviceName"),
          full,
          "is not a PrivateLink service name",
          "use com.amazonaws.<region>.<service> (or aws.sagemaker., aws.api., api.aws. for the services AWS names so), com.amazonaws.vpce.<region>.vpce-svc-<id> for an endpoint service, or give suffix instead",
        );
        continue;
      }
      if (parsed.region !== undefined && view.region !== undefined && parsed.region !== view.region) {
        add(
          at(name, "serviceName"),
          full,
          `names the Region ${parsed.region}, but the network is in ${view.region} (the module creates same-Region endpoints; cross-Region PrivateLink is not supported)`,
          parsed.kind === "aws"
            ? `use ${full.replace(`.${parsed.region}.`, `.${view.region}.`)}, or give suffix so the Region follows the network`
            : `use the endpoint service's name in ${view.region}`,
        );
        continue;
      }
      if (parsed.kind === "endpoint-service" && c.policySupported === true) {
        add(
          at(name, "policySupported"),
          true,
          "is not possible for an endpoint service: AWS applies no endpoint policy to services other than its own (it allows full access)",
          "remove it (or set false), and control access on the provider's side",
        );
      }
      full = canonical(full);
    }
    const same = taken.get(full);
    if (same) {
      add(
        at(name),
        c.serviceName ?? c.suffix,
        `is the same service as ${same}; two endpoints for one service in a VPC conflict (their private DNS names collide)`,
        same.startsWith("the catalog") ? `use ${same.replace("the catalog's ", "")} in interface.services and remove this entry` : "keep one of them",
      );
      continue;
    }
    taken.set(full, `the custom service "${name}"`);
  }
  return issues;
}

export function validateEndpoints(cfg: ResolvedEndpointsConfig, view: EndpointNetworkView): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  const customNames = Object.keys(cfg.interface.customServices);
  const choices = [...Object.keys(ENDPOINT_PRESETS), ...INTERFACE_SERVICES, ...customNames];

  cfg.interface.services.forEach((s, i) => {
    if (!choices.includes(s)) {
      add(
        `interface.services[${i}]`,
        s,
        "is neither in the endpoint catalog nor one of interface.customServices",
        `${didYouMean(s, choices)} For a service the catalog lacks, describe it in interface.customServices: { ${JSON.stringify(s)}: { suffix: "<the part after com.amazonaws.<region>.>", purpose: "..." } }`,
      );
    }
  });
  const services: string[] = expandServices(cfg.interface.services.filter((s) => choices.includes(s)));
  issues.push(...customServiceIssues(cfg, view, services));

  if (services.length > 0) {
    if (!view.dnsSupport || !view.dnsHostnames) {
      add(
        "interface.services",
        cfg.interface.services,
        "needs DNS support and DNS hostnames on the VPC (private DNS names of interface endpoints resolve only then)",
        "turn on enable_dns_support and enable_dns_hostnames (MlVpc always does)",
      );
    }
    const azs = view.tiers[cfg.interface.tier];
    if (!azs?.length) {
      add(
        "interface.tier",
        cfg.interface.tier,
        "has no subnets to hold the endpoint network interfaces",
        `use a tier the network has: ${Object.keys(view.tiers).join(", ")}`,
      );
    } else {
      cfg.interface.availabilityZones?.forEach((az, i) => {
        if (!azs.includes(az)) add(`interface.availabilityZones[${i}]`, az, `has no ${cfg.interface.tier} subnet`, `use one of ${azs.join(", ")}`);
      });
      if (cfg.interface.availabilityZones?.length === 0)
        add("interface.availabilityZones", [], "is empty", "omit it for every AZ of the tier, or list at least one");
    }
    if (services.includes("s3") && !cfg.gateway.s3) {
      add(
        "interface.services",
        cfg.interface.services,
        "includes the S3 interface endpoint without the S3 gateway endpoint, which in-VPC S3 traffic needs (the interface endpoint then answers on-premises resolvers only)",
        "keep gateway.s3 on",
      );
    }
  }

  if (cfg.gateway.s3 || cfg.gateway.dynamodb) {
    const tiers = gatewayTiers(cfg, view);
    if (tiers.length === 0)
      add("gateway", cfg.gateway, "has no private, isolated or training route table to attach to", "add a non-public tier, or turn the gateway endpoints off");
    cfg.gateway.tiers?.forEach((t, i) => {
      if (!view.tiers[t]?.length)
        add(
          `gateway.tiers[${i}]`,
          t,
          "has no subnets, so no route table to attach the gateway endpoints to",
          `use tiers the network has: ${Object.keys(view.tiers).join(", ")}`,
        );
    });
  }

  if (cfg.policy.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(cfg.policy.organizationId)) {
    add(
      "policy.organizationId",
      cfg.policy.organizationId,
      "is not an AWS Organizations id",
      "use the id from `aws organizations describe-organization`, e.g. o-a1b2c3d4e5",
    );
  }
  cfg.policy.s3BucketArns.forEach((arn, i) => {
    if (!/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(arn)) {
      add(`policy.s3BucketArns[${i}]`, arn, "is not an S3 bucket ARN", "use arn:aws:s3:::<bucket> (no object path; objects are covered)");
    }
  });
  for (const [service, text] of Object.entries(cfg.policy.custom)) {
    const path = `policy.custom.${service}`;
    if (!services.includes(service)) {
      add(path, service, "is not one of this network's interface endpoints", `use one of ${services.join(", ") || "(no interface endpoints configured)"}`);
      continue;
    }
    if (interfaceServiceSpec(service, cfg.interface.customServices, ANY_REGION)?.policySupported === false) {
      add(path, service, "names a service that does not accept endpoint policies", "remove it; control access with IAM instead");
      continue;
    }
    const problem = checkPolicyDocument(text);
    if (problem)
      add(
        path,
        text,
        problem,
        'give an IAM policy document: {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"...","Resource":"*"}]}',
      );
  }
  return issues;
}

export class MlVpcEndpoints<Custom extends string = never> extends Construct {
  /** Gateway endpoints by service. */
  readonly gateway: Readonly<Partial<Record<"s3" | "dynamodb", VpcEndpoint>>>;
  /** Interface endpoints by catalog service or custom-service name. */
  readonly interface: Readonly<Partial<Record<InterfaceService | Custom, VpcEndpoint>>>;
  /** Prefix-list ids of the gateway endpoints, for security-group rules. */
  readonly prefixListIds: Readonly<Partial<Record<"s3" | "dynamodb", string>>>;
  readonly config: ResolvedEndpointsConfig;

  constructor(scope: Construct, id: string, props: MlVpcEndpointsProps<Custom>) {
    super(scope, id);
    const { network, securityGroupIds, tags: extraTags, ...rest } = props;
    assertNetwork(network, `MlVpcEndpoints "${this.node.path}"`);
    const view = viewOf(network);
    const cfg = resolveProps("MlVpcEndpoints", this.node.path, endpointsConfigSchema, rest, (c) => {
      const issues = [...validateEndpoints(c, view), ...tagIssues(extraTags, "tags", ["Name"])];
      if (c.interface.services.length > 0 && !securityGroupIds?.length) {
        issues.push({
          path: "securityGroupIds",
          value: securityGroupIds,
          message: "is required for interface endpoints",
          fix: "pass the vpcEndpoints group of SegmentedSecurityGroups",
        });
      }
      return issues;
    });
    const services: string[] = expandServices(cfg.interface.services);
    this.config = cfg;
    const tags = extraTags ?? {};

    const ctx = AwsContext.of(this);
    const region = network.region ?? ctx.region;
    const perimeter: PerimeterOptions = {
      accountId: ctx.accountId,
      partition: ctx.partition,
      region,
      organizationId: cfg.policy.organizationId,
    };

    // Gateway endpoints, attached per route table.
    const gateway: Partial<Record<"s3" | "dynamodb", VpcEndpoint>> = {};
    const prefixListIds: Partial<Record<"s3" | "dynamodb", string>> = {};
    const tables = selectSubnets(network, { tiers: gatewayTiers(cfg, view) }).routeTables;
    for (const service of ["s3", "dynamodb"] as const) {
      if (!cfg.gateway[service]) continue;
      const policy = service === "s3" ? s3EndpointPolicy(perimeter, cfg.policy.s3BucketArns) : perimeterPolicy(perimeter, true);
      const endpoint = new VpcEndpoint(this, `gateway-${service}`, {
        vpcId: network.vpcId,
        serviceName: `com.amazonaws.${region}.${service}`,
        vpcEndpointType: "Gateway",
        policy: policyJson(policy),
        tags: named(`${network.name}-${service}-gateway`, tags),
      });
      const endpointId = endpoint.id;
      for (const table of tables) {
        new VpcEndpointRouteTableAssociation(this, `gateway-${service}-${table.name}`, { vpcEndpointId: endpointId, routeTableId: table.id });
      }
      gateway[service] = endpoint;
      prefixListIds[service] = endpoint.prefixListId;
    }
    this.gateway = gateway;
    this.prefixListIds = prefixListIds;

    // Interface endpoints, one network interface per AZ of the tier.
    const { subnets } = selectSubnets(network, { tiers: [cfg.interface.tier], availabilityZones: interfaceAzs(cfg, view) });
    const iface: Partial<Record<string, VpcEndpoint>> = {};
    for (const service of services) {
      // Validation guarantees every name resolves.
      const spec = interfaceServiceSpec(service, cfg.interface.customServices, region)!;
      // Ids come from the name, never a position: adding a service (catalog or custom) changes no other endpoint.
      const key = interfaceKey(service);
      const custom = cfg.policy.custom[service];
      const policy = !spec.policySupported
        ? undefined
        : custom !== undefined
          ? policyJson(JSON.parse(custom) as PolicyDocument)
          : policyJson(service === "s3" ? s3EndpointPolicy(perimeter, cfg.policy.s3BucketArns) : perimeterPolicy(perimeter, spec.servesPlainHttp));
      const endpoint = new VpcEndpoint(this, `interface-${key}`, {
        vpcId: network.vpcId,
        serviceName: spec.serviceName,
        vpcEndpointType: "Interface",
        privateDnsEnabled: spec.privateDns,
        // With an S3 gateway endpoint in the VPC, in-VPC S3 traffic keeps using it; only on-premises resolvers get the interface.
        dnsOptions: service === "s3" ? { privateDnsOnlyForInboundResolverEndpoint: true } : undefined,
        securityGroupIds,
        policy,
        tags: named(`${network.name}-${key}`, tags),
        dependsOn: service === "s3" && gateway.s3 ? [gateway.s3] : undefined,
      });
      const endpointId = endpoint.id;
      for (const subnet of subnets) {
        new VpcEndpointSubnetAssociation(this, `interface-${key}-${subnet.availabilityZone}`, { vpcEndpointId: endpointId, subnetId: subnet.id });
      }
      iface[service] = endpoint;
    }
    this.interface = iface as Partial<Record<InterfaceService | Custom, VpcEndpoint>>;
  }
}
