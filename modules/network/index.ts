/**
 * MlVpc: the VPC an ML platform runs in.
 *
 * Subnet tiers per AZ (public for NAT and load balancers; private for compute;
 * isolated for data stores; training for GPU nodes), a CIDR plan that never
 * moves an existing subnet, NAT only where asked for, one route table per
 * purpose with every subnet explicitly associated, the default security
 * group, NACL and route table taken under management, and flow logs on.
 *
 * Construct ids come from tier and AZ names, so adding an AZ or a tier adds
 * resources and changes none.
 */
import { Construct } from "constructs";
import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from "cdktf";
import { DefaultNetworkAcl } from "@cdktf/provider-aws/lib/default-network-acl";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcIpv4CidrBlockAssociation } from "@cdktf/provider-aws/lib/vpc-ipv4-cidr-block-association";
import { ConfigError, resolveProps, type ConfigIssue } from "../core/errors";
import { suppress } from "../core/suppressions";
import { cidrId, named } from "../core/tags";
import { planSubnets, tierAzs } from "./cidr-plan";
import { VpcFlowLogs } from "./flow-logs";
import { mlVpcPropsSchema, type ResolvedMlVpcProps, type SubnetTier } from "./schema";
import { validateMlVpc } from "./validate";
import { defaultNaclEntries, type DefaultNetworkAclMode } from "./default-nacl";
import { selectSubnets, type SelectedSubnets, type SubnetSelection } from "./selection";

export { SUBNET_TIERS, NAT_MODES, LOG_RETENTION_DAYS, DEFAULT_ON_PREMISES_TIERS, mlVpcPropsSchema, subnetTierSchema, retentionDaysSchema } from "./schema";
export type { SubnetTier, ResolvedMlVpcProps } from "./schema";
export { planSubnets, tierAzs, type PlannedSubnet } from "./cidr-plan";
export { validateMlVpc, secondaryRestriction, TIER_MAX_PREFIX, MAX_VPC_CIDR_BLOCKS } from "./validate";
export { VpcFlowLogs, type VpcFlowLogsProps } from "./flow-logs";
export { REGION_AZ_LETTERS, KNOWN_REGIONS, isKnownRegion, zonesOf } from "./regions";
export { assertNetwork, networkIssues } from "./validate-network";
export { defaultNaclEntries, DEFAULT_NETWORK_ACL_MODES, type DefaultNetworkAclMode, type DefaultNaclEntry } from "./default-nacl";
export { TIER_GROUPS, selectSubnets, tierLayout, plannedNetwork, type SubnetSelection, type SelectedSubnets } from "./selection";

/** One subnet tier. */
export interface SubnetTierProps {
  /**
   * Prefix length of each subnet of the tier, e.g. `20` for /20 (4,091 usable
   * addresses). Each tier has a minimum size: public /27, private /24,
   * isolated /28, training /24.
   */
  readonly prefixLength: number;
  /**
   * AZs this tier spans, a subset of the VPC's. A training tier is often one
   * AZ, for a cluster placement group.
   * @default - every AZ of the VPC
   */
  readonly availabilityZones?: string[];
  /**
   * VPC CIDR block to carve the tier from. In the primary CIDR the tier has a
   * fixed quarter; a secondary CIDR is owned by the tier whole.
   * @default - the primary CIDR
   */
  readonly cidrBlock?: string;
  /**
   * Explicit CIDR per AZ (`{ "us-east-1a": "10.0.4.0/24" }`), overriding the plan for that AZ.
   * @default - the CIDR plan for every AZ
   */
  readonly cidrs?: Record<string, string>;
}

export interface PublicTierProps extends SubnetTierProps {
  /**
   * Give instances launched here a public IPv4 address automatically. Best
   * left off: NAT gateways and load balancers bring their own, and every
   * public IPv4 address is billed.
   * @default false
   */
  readonly mapPublicIpOnLaunch?: boolean;
}

export interface TrainingTierProps extends SubnetTierProps {
  /**
   * Route the training tier's traffic for the internet through the NAT
   * gateway. Without it, training nodes and jobs reach AWS through VPC
   * endpoints only. `true` is the named opt-in for experimentation (pip
   * installs from PyPI in a SageMaker job's requirements.txt); it needs `nat`
   * `single` or `perAz`, and with `perAz` a training tier in one AZ (the tier
   * has one route table, so it can follow one AZ's NAT gateway).
   * @default false
   */
  readonly natEgress?: boolean;
}

export interface SubnetTiersProps {
  /** NAT gateways and load balancers. Creates the internet gateway. @default - none */
  readonly public?: PublicTierProps;
  /** Notebooks, jobs, inference; egress through NAT when NAT exists. @default - none */
  readonly private?: SubnetTierProps;
  /** Data stores; no route out of the VPC. @default - none */
  readonly isolated?: SubnetTierProps;
  /** GPU training nodes; no route out of the VPC (endpoints only) unless `natEgress`. @default - none */
  readonly training?: TrainingTierProps;
}

/** `none`: no NAT. `single`: one NAT for all AZs (cheap, one AZ's outage cuts egress). `perAz`: one per AZ. */
export type NatMode = "none" | "single" | "perAz";

export interface FlowLogsProps {
  /** Where flow logs go. `none` turns them off and is an explicit opt-out. @default "cloudWatchLogs" */
  readonly destination?: "cloudWatchLogs" | "s3" | "none";
  /** Aggregation interval: 60 or 600 seconds. @default 600 */
  readonly maxAggregationIntervalSeconds?: number;
  /** CloudWatch Logs retention in days, one of the values CloudWatch accepts. @default 90 */
  readonly retentionDays?: number;
  /** KMS key for the log group. @default - a new KMS key with rotation on, usable by CloudWatch Logs for this group only */
  readonly kmsKeyArn?: string;
  /** Log group name. @default - /ml-network/<name>/vpc-flow-logs */
  readonly logGroupName?: string;
  /**
   * Bucket ARN (optionally with a prefix) when `destination` is `s3`; required
   * then. The bucket belongs to a log archive: its policy must let
   * `delivery.logs.amazonaws.com` write (see docs/modules/network.md).
   * @default - none
   */
  readonly s3BucketArn?: string;
  /** File format in S3; Parquet is cheaper to query with Athena. @default "parquet" */
  readonly s3FileFormat?: "plain-text" | "parquet";
  /** Custom log record format, e.g. `${vpc-id} ${srcaddr} ...`. @default - the AWS default format */
  readonly logFormat?: string;
}

export interface MlVpcProps {
  /** Short slug that prefixes every Name tag, e.g. `ml-prod`. */
  readonly name: string;
  /** Primary IPv4 CIDR block, /16 to /28. */
  readonly cidr: string;
  /** Extra IPv4 CIDR blocks associated with the VPC. @default [] */
  readonly secondaryCidrs?: string[];
  /** Region the VPC lives in; when given, AZs are checked against it. @default - none: AZs are not checked against a region */
  readonly region?: string;
  /** AZ names, e.g. `["us-east-1a", "us-east-1b"]`. Order does not affect CIDRs. */
  readonly availabilityZones: string[];
  /**
   * AZ slots reserved per tier in the CIDR plan: AZ letters a.. up to this
   * many fit. Changing it moves every planned CIDR: choose once.
   * @default 4
   */
  readonly azSlots?: number;
  /** Subnet tiers; each optional, at least one required. */
  readonly tiers: SubnetTiersProps;
  /** NAT gateways. AWS traffic should use VPC endpoints instead. @default "none" */
  readonly nat?: NatMode;
  /**
   * Rules of the VPC's default NACL, which holds every subnet not associated
   * with another NACL. `baseline`: all traffic within the VPC, HTTPS out to
   * anywhere and its replies, path-MTU discovery; nothing from the internet
   * starts a connection. `allowAll` is AWS's own default, which admits SSH
   * and RDP from the internet and fails the compliance pack (MLN-NACL-1).
   * `denyAll` when every subnet gets its own NACL, as TierNetworkAcls does:
   * a subnet that loses its association then fails closed, and synth fails
   * while any subnet has none.
   * @default "baseline"
   */
  readonly defaultNetworkAcl?: DefaultNetworkAclMode;
  /**
   * Flow logs: on unless `destination` is `none`, KMS-encrypted; each field's
   * default is documented on FlowLogsProps.
   * @default {}
   */
  readonly flowLogs?: FlowLogsProps;
  /** Extra tags on every resource (the provider's default_tags apply too). @default {} */
  readonly tags?: Record<string, string>;
}

/** A subnet as other modules see it. */
export interface NetworkSubnet {
  readonly id: string;
  readonly tier: SubnetTier;
  readonly availabilityZone: string;
  readonly cidr: string;
  readonly routeTableId: string;
  /**
   * Stable name of the subnet's route table (`public`, `private-us-east-1a`,
   * `isolated`), for construct ids of resources attached per table. MlVpc
   * always sets it; plain objects may leave it out.
   * @default - the tier and the AZ, as <tier>-<az>
   */
  readonly routeTableName?: string;
}

/**
 * What other modules need of a network. MlVpc implements it; a plain object
 * describing an existing VPC works as well.
 */
export interface IMlNetwork {
  readonly name: string;
  readonly vpcId: string;
  /** Region, when known at synth time (endpoint service names use it). @default - the provider's region */
  readonly region?: string;
  /** Primary CIDR first, then secondary CIDRs. */
  readonly vpcCidrs: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly subnets: readonly NetworkSubnet[];
  /** Both true for MlVpc; interface endpoints with private DNS need them. */
  readonly dnsSupport: boolean;
  readonly dnsHostnames: boolean;
}

export class MlVpc extends Construct implements IMlNetwork {
  readonly vpc: Vpc;
  readonly name: string;
  readonly vpcId: string;
  readonly region?: string;
  readonly vpcCidrs: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly subnets: readonly NetworkSubnet[];
  readonly dnsSupport = true;
  readonly dnsHostnames = true;
  /** The props with every default filled in. */
  readonly config: ResolvedMlVpcProps;
  readonly internetGateway?: InternetGateway;
  /** NAT gateways by AZ. */
  readonly natGateways: Readonly<Record<string, NatGateway>>;
  /** Route tables by key: `public`, `private-<az>`, `isolated`, `training`. */
  readonly routeTables: Readonly<Record<string, RouteTable>>;
  /** Subnet resources by `<tier>-<az>`. */
  readonly subnetResources: Readonly<Record<string, Subnet>>;
  readonly flowLogs?: VpcFlowLogs;

  constructor(scope: Construct, id: string, props: MlVpcProps) {
    super(scope, id);
    const cfg = resolveProps("MlVpc", this.node.path, mlVpcPropsSchema, props, validateMlVpc);
    this.config = cfg;
    this.name = cfg.name;
    this.region = cfg.region;
    this.availabilityZones = [...cfg.availabilityZones];
    this.vpcCidrs = [cfg.cidr, ...cfg.secondaryCidrs];
    const tags = cfg.tags;
    const n = (suffix: string) => named(`${cfg.name}-${suffix}`, tags);

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: cfg.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: n("vpc"),
    });
    this.vpcId = this.vpc.id;
    const vpcId = this.vpcId;

    const secondary = new Map<string, VpcIpv4CidrBlockAssociation>();
    for (const block of cfg.secondaryCidrs) {
      secondary.set(block, new VpcIpv4CidrBlockAssociation(this, `cidr-${cidrId(block)}`, { vpcId, cidrBlock: block }));
    }

    this.manageDefaults(cfg);

    const plan = planSubnets(cfg);
    this.subnetResources = this.createSubnets(cfg, plan, secondary);

    const edge = this.createInternetEdge(cfg);
    this.internetGateway = edge.internetGateway;
    this.natGateways = edge.natGateways;
    this.routeTables = this.createRouteTables(cfg, edge);

    this.subnets = this.associateSubnets(plan);
    if (cfg.defaultNetworkAcl === "denyAll") this.node.addValidation({ validate: () => this.subnetsWithoutNacl() });

    if (cfg.flowLogs.destination !== "none") {
      this.flowLogs = new VpcFlowLogs(this, "flow-logs", {
        vpcId,
        name: cfg.name,
        settings: cfg.flowLogs,
        tags,
      });
    }
  }

  /**
   * Defaults nobody should use: taken under management and emptied, so
   * nothing lands in them by accident and drift shows up in plans.
   */
  private manageDefaults(cfg: ResolvedMlVpcProps): void {
    const n = (suffix: string) => named(`${cfg.name}-${suffix}`, cfg.tags);
    const vpcId = this.vpc.id;
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId,
      ingress: [],
      egress: [],
      tags: n("default-do-not-use"),
    });
    new DefaultRouteTable(this, "default-route-table", {
      defaultRouteTableId: this.vpc.defaultRouteTableId,
      route: [],
      tags: n("main-unused"),
    });
    // See default-nacl.ts for the modes; denyAll is checked at synth (every subnet needs a NACL of its own).
    const entries = defaultNaclEntries(cfg.defaultNetworkAcl, [cfg.cidr, ...cfg.secondaryCidrs]);
    const defaultAcl = new DefaultNetworkAcl(this, "default-network-acl", {
      defaultNetworkAclId: this.vpc.defaultNetworkAclId,
      ingress: entries.ingress,
      egress: entries.egress,
      tags: n("default-nacl"),
      // Subnets move to their tier NACLs through associations; do not fight them here.
      lifecycle: { ignoreChanges: ["subnet_ids"] },
    });
    if (cfg.defaultNetworkAcl === "baseline") {
      // The same reasoning as TierNetworkAcls' public rule 300: replies to the NAT gateway arrive on any of its ports.
      suppress(
        defaultAcl,
        "MLN-NACL-1",
        "NAT gateway replies arrive on ports 1024-65535, 3389 included; no security group opens 22 or 3389 (MLN-SG-2 cannot be suppressed)",
      );
    }
  }

  /** One subnet per tier and AZ of the plan, by `<tier>-<az>`. */
  private createSubnets(
    cfg: ResolvedMlVpcProps,
    plan: ReturnType<typeof planSubnets>,
    secondary: ReadonlyMap<string, VpcIpv4CidrBlockAssociation>,
  ): Record<string, Subnet> {
    const vpcId = this.vpc.id;
    const subnetResources: Record<string, Subnet> = {};
    for (const s of plan) {
      const association = secondary.get(s.vpcCidrBlock);
      subnetResources[`${s.tier}-${s.availabilityZone}`] = new Subnet(this, `subnet-${s.tier}-${s.availabilityZone}`, {
        vpcId,
        cidrBlock: s.cidr,
        availabilityZone: s.availabilityZone,
        mapPublicIpOnLaunch: s.tier === "public" ? (cfg.tiers.public?.mapPublicIpOnLaunch ?? false) : false,
        tags: named(`${cfg.name}-${s.tier}-${s.availabilityZone}`, cfg.tags, { Tier: s.tier }),
        dependsOn: association ? [association] : undefined,
      });
    }
    return subnetResources;
  }

  /** Internet gateway, NAT gateways (none, one, or one per public AZ) and the public route table. */
  private createInternetEdge(cfg: ResolvedMlVpcProps): {
    internetGateway?: InternetGateway;
    natGateways: Record<string, NatGateway>;
    publicRouteTable?: RouteTable;
  } {
    const vpcId = this.vpc.id;
    const tags = cfg.tags;
    const n = (suffix: string) => named(`${cfg.name}-${suffix}`, tags);
    const natGateways: Record<string, NatGateway> = {};
    if (!cfg.tiers.public) return { natGateways };
    const internetGateway = new InternetGateway(this, "igw", { vpcId, tags: n("igw") });
    const publicAzs = tierAzs(cfg, "public");
    const natAzs = cfg.nat === "perAz" ? publicAzs : cfg.nat === "single" ? publicAzs.slice(0, 1) : [];
    for (const az of natAzs) {
      const eip = new Eip(this, `nat-eip-${az}`, {
        domain: "vpc",
        tags: n(`nat-${az}`),
        dependsOn: [internetGateway],
      });
      natGateways[az] = new NatGateway(this, `nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: this.subnetResources[`public-${az}`].id,
        connectivityType: "public",
        tags: n(`nat-${az}`),
        dependsOn: [internetGateway],
      });
    }
    const publicRouteTable = new RouteTable(this, "rt-public", { vpcId, tags: named(`${cfg.name}-public`, tags, { Tier: "public" }) });
    new Route(this, "rt-public-default", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });
    return { internetGateway, natGateways, publicRouteTable };
  }

  /**
   * Route tables by key: public; private one per AZ with a default route to
   * the NAT of its own AZ (or the single NAT); isolated and training one
   * each with no route out of the VPC (training: unless natEgress).
   */
  private createRouteTables(
    cfg: ResolvedMlVpcProps,
    edge: { natGateways: Record<string, NatGateway>; publicRouteTable?: RouteTable },
  ): Record<string, RouteTable> {
    const vpcId = this.vpc.id;
    const tags = cfg.tags;
    const natGateways = edge.natGateways;
    const routeTables: Record<string, RouteTable> = {};
    if (edge.publicRouteTable) routeTables.public = edge.publicRouteTable;
    if (cfg.tiers.private) {
      const singleNat = Object.values(natGateways)[0];
      for (const az of tierAzs(cfg, "private")) {
        const rt = new RouteTable(this, `rt-private-${az}`, {
          vpcId,
          tags: named(`${cfg.name}-private-${az}`, tags, { Tier: "private" }),
        });
        routeTables[`private-${az}`] = rt;
        const nat = cfg.nat === "perAz" ? natGateways[az] : cfg.nat === "single" ? singleNat : undefined;
        if (nat) {
          new Route(this, `rt-private-${az}-default`, {
            routeTableId: rt.id,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: nat.id,
          });
        }
      }
    }
    for (const tier of ["isolated", "training"] as const) {
      if (cfg.tiers[tier]) {
        routeTables[tier] = new RouteTable(this, `rt-${tier}`, {
          vpcId,
          tags: named(`${cfg.name}-${tier}`, tags, { Tier: tier }),
        });
      }
    }
    if (cfg.tiers.training?.natEgress) {
      // The NAT gateway of the training tier's AZ (validation keeps perAz to one training AZ), or the single one.
      const nat = cfg.nat === "perAz" ? natGateways[tierAzs(cfg, "training")[0]] : Object.values(natGateways)[0];
      new Route(this, "rt-training-default", { routeTableId: routeTables.training.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
    }
    return routeTables;
  }

  /** Each subnet joins its tier's route table; returns the subnets as other modules see them. */
  private associateSubnets(plan: ReturnType<typeof planSubnets>): NetworkSubnet[] {
    // One id token per table, so handles that share a table compare equal.
    const routeTableIds = new Map(Object.values(this.routeTables).map((rt) => [rt, rt.id]));
    const subnets: NetworkSubnet[] = [];
    for (const s of plan) {
      const key = `${s.tier}-${s.availabilityZone}`;
      const routeTableName = s.tier === "private" ? key : s.tier;
      const rtId = routeTableIds.get(this.routeTables[routeTableName])!;
      const subnetId = this.subnetResources[key].id;
      new RouteTableAssociation(this, `rta-${key}`, { subnetId, routeTableId: rtId });
      subnets.push({ id: subnetId, tier: s.tier, availabilityZone: s.availabilityZone, cidr: s.cidr, routeTableId: rtId, routeTableName });
    }
    return subnets;
  }

  /**
   * With a deny-all default NACL, a subnet that no other NACL claims can
   * talk to nothing: synth fails naming it. NACLs count wherever they are in
   * the stack (TierNetworkAcls, or your own aws_network_acl_association or
   * aws_network_acl with subnet_ids).
   */
  private subnetsWithoutNacl(): string[] {
    const stack = TerraformStack.of(this);
    // References compare by what they resolve to ("${aws_subnet.x.id}"): each `.id` read is a new token.
    const resolver = new DefaultTokenResolver(new StringConcat());
    const resolve = (v: unknown): unknown => Tokenization.resolve(v, { scope: stack, resolver, preparing: false });
    const claimed = new Set<unknown>();
    for (const node of stack.node.findAll()) {
      if (!TerraformResource.isTerraformResource(node)) continue;
      if (node.terraformResourceType !== "aws_network_acl_association" && node.terraformResourceType !== "aws_network_acl") continue;
      const body = resolve(node.toTerraform()) as { resource?: Record<string, Record<string, { subnet_id?: unknown; subnet_ids?: unknown }>> };
      for (const r of Object.values(body.resource ?? {}).flatMap((byName) => Object.values(byName))) {
        claimed.add(r.subnet_id);
        if (Array.isArray(r.subnet_ids)) for (const id of r.subnet_ids as unknown[]) claimed.add(id);
      }
    }
    const orphans = Object.entries(this.subnetResources)
      .filter(([, subnet]) => !claimed.has(resolve(subnet.id)))
      .map(([key]) => key);
    if (orphans.length === 0) return [];
    const issue: ConfigIssue = {
      path: "defaultNetworkAcl",
      value: "denyAll",
      message: `leaves ${orphans.join(", ")} on a default NACL without rules: nothing reaches or leaves ${orphans.length === 1 ? "that subnet" : "those subnets"}`,
      fix: 'give every tier its own NACL (new TierNetworkAcls(this, "nacls", { network })), or use defaultNetworkAcl: "baseline"',
    };
    return [new ConfigError(`MlVpc ${this.node.path}`, [issue]).message];
  }

  /** Subnets by tier, AZ, one per AZ: see `selectSubnets`. */
  selectSubnets(selection: SubnetSelection = {}): SelectedSubnets {
    return selectSubnets(this, selection);
  }
}
