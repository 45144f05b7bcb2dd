/**
 * MlVpcEndpoints: AWS traffic stays off NAT.
 *
 * Gateway endpoints for S3 and DynamoDB (free) on every non-public route
 * table; interface endpoints (PrivateLink, billed per AZ-hour) from a typed
 * catalog, one network interface per AZ of a chosen tier, private DNS on, the
 * `vpcEndpoints` security group attached; a data-perimeter policy on each
 * endpoint whose service supports one. Route-table and subnet attachments are
 * separate resources keyed by name, so adding an AZ or a tier only adds.
 */
import { Construct } from "constructs";
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { subnetTierSchema as tier } from "../network/schema";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointRouteTableAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-route-table-association";
import { VpcEndpointSubnetAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-subnet-association";
import { AwsContext } from "../core/aws-context";
import { didYouMean } from "../core/suggest";
import { resolveProps, type ConfigIssue } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { policyJson, type PolicyDocument } from "../core/policy";
import { named } from "../core/tags";
import type { Exact } from "../core/types";
import { TIER_GROUPS, selectSubnets, tierLayout, type IMlNetwork, type SubnetTier } from "../network";
import {
  ENDPOINT_PRESETS,
  INTERFACE_CATALOG,
  INTERFACE_SERVICES,
  expandServices,
  serviceName,
  type CatalogEntry,
  type EndpointPreset,
  type InterfaceService,
} from "./catalog";
import { checkPolicyDocument, perimeterPolicy, s3EndpointPolicy, type PerimeterOptions } from "./policies";

export {
  INTERFACE_CATALOG,
  INTERFACE_SERVICES,
  ENDPOINT_PRESETS,
  serviceName,
  expandServices,
  type InterfaceService,
  type EndpointPreset,
  type CatalogEntry,
} from "./catalog";
export { perimeterPolicy, s3EndpointPolicy, checkPolicyDocument } from "./policies";
export { awsOwnedBuckets, awsOwnedObjectArns, type AwsOwnedBucket } from "./aws-owned-buckets";

/** Everything but the network and the security group: what an environment configures. */
export interface VpcEndpointsConfig {
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
    /** Catalog services or presets (`essentials`, `ssm`, `observability`). Plain-data configs are checked at synth, with "did you mean". @default [] */
    readonly services?: (InterfaceService | EndpointPreset)[];
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

export interface MlVpcEndpointsProps extends VpcEndpointsConfig {
  readonly network: IMlNetwork;
  /** Security groups for interface endpoints (the `vpcEndpoints` group). Required when interface endpoints exist. @default - none */
  readonly securityGroupIds?: string[];
  /** Extra tags on every endpoint. @default - none */
  readonly tags?: Record<string, string>;
}

export const endpointsConfigSchema = z.strictObject({
  gateway: z.strictObject({ s3: z.boolean().default(true), dynamodb: z.boolean().default(true), tiers: uniqueList(tier).optional() }).prefault({}),
  interface: z
    .strictObject({ services: uniqueList(z.string()).default([]), tier: tier.default("private"), availabilityZones: uniqueList(z.string()).optional() })
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
const configMatchesSchema: Exact<z.input<typeof endpointsConfigSchema>, VpcEndpointsConfig> = true;
void configMatchesSchema;

/** What validation needs to know of the network. */
export interface EndpointNetworkView {
  /** AZs per tier present. */
  readonly tiers: Partial<Record<SubnetTier, readonly string[]>>;
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
}

export function viewOf(network: IMlNetwork): EndpointNetworkView {
  return { tiers: tierLayout(network), dnsSupport: network.dnsSupport, dnsHostnames: network.dnsHostnames };
}

/** Gateway tiers: configured, or every non-public tier the network has. */
export function gatewayTiers(cfg: ResolvedEndpointsConfig, view: EndpointNetworkView): SubnetTier[] {
  return cfg.gateway.tiers ?? TIER_GROUPS.nonPublic.filter((t) => view.tiers[t]?.length);
}

/** Interface endpoint AZs: configured, or every AZ of the tier. */
export function interfaceAzs(cfg: ResolvedEndpointsConfig, view: EndpointNetworkView): readonly string[] {
  return cfg.interface.availabilityZones ?? view.tiers[cfg.interface.tier] ?? [];
}

export function validateEndpoints(cfg: ResolvedEndpointsConfig, view: EndpointNetworkView): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  const choices = [...Object.keys(ENDPOINT_PRESETS), ...INTERFACE_SERVICES];

  cfg.interface.services.forEach((s, i) => {
    if (!choices.includes(s)) {
      add(`interface.services[${i}]`, s, "is not in the endpoint catalog", `${didYouMean(s, choices)} (add a service to modules/endpoints/catalog.ts)`);
    }
  });
  const services = expandServices(cfg.interface.services.filter((s) => choices.includes(s)));

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
    if (!services.includes(service as InterfaceService)) {
      add(path, service, "is not one of this network's interface endpoints", `use one of ${services.join(", ") || "(no interface endpoints configured)"}`);
      continue;
    }
    if (!(INTERFACE_CATALOG[service as InterfaceService] as CatalogEntry).policySupported) {
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

export class MlVpcEndpoints extends Construct {
  /** Gateway endpoints by service. */
  readonly gateway: Readonly<Partial<Record<"s3" | "dynamodb", VpcEndpoint>>>;
  /** Interface endpoints by catalog service. */
  readonly interface: Readonly<Partial<Record<InterfaceService, VpcEndpoint>>>;
  /** Prefix-list ids of the gateway endpoints, for security-group rules. */
  readonly prefixListIds: Readonly<Partial<Record<"s3" | "dynamodb", string>>>;
  readonly config: ResolvedEndpointsConfig;

  constructor(scope: Construct, id: string, props: MlVpcEndpointsProps) {
    super(scope, id);
    const { network, securityGroupIds, tags: extraTags, ...rest } = props;
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
    const services = expandServices(cfg.interface.services);
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
    const iface: Partial<Record<InterfaceService, VpcEndpoint>> = {};
    for (const service of services) {
      const entry: CatalogEntry = INTERFACE_CATALOG[service];
      const key = service.replace(/\./g, "-");
      const custom = cfg.policy.custom[service];
      const policy = !entry.policySupported
        ? undefined
        : custom !== undefined
          ? policyJson(JSON.parse(custom) as PolicyDocument)
          : policyJson(service === "s3" ? s3EndpointPolicy(perimeter, cfg.policy.s3BucketArns) : perimeterPolicy(perimeter, entry.servesPlainHttp ?? false));
      const endpoint = new VpcEndpoint(this, `interface-${key}`, {
        vpcId: network.vpcId,
        serviceName: serviceName(service, region),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
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
    this.interface = iface;
  }
}
