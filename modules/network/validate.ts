/**
 * Checks between fields of MlVpc props that a schema cannot express: CIDR
 * validity and containment, overlaps, AZs against the region and the plan's
 * slots, NAT against tiers, flow-log destinations. Returns every issue found.
 */
import type { ConfigIssue } from "../core/errors";
import { NAME_RULES, SHAPES, nameIssues, nameProblem, tagIssues } from "../core/aws-limits";
import { checkCidr, networkOf, overlaps, prefixOf, within } from "../core/cidr";
import { largestPlannablePrefix, planSubnets, tierAzs } from "./cidr-plan";
import { KNOWN_REGIONS, REGION_AZ_LETTERS, azSlot, isKnownRegion, parseAzName, zonesOf } from "./regions";
import { SUBNET_TIERS, type ResolvedMlVpcProps, type SubnetTier } from "./schema";
import { BASELINE_FIXED_ENTRIES } from "./default-nacl";

/** AWS limits for a VPC CIDR block and for a subnet: /16 to /28. */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;

/**
 * Smallest subnet each tier may have (largest prefix length), with the reason.
 * AWS reserves 5 addresses in every subnet.
 */
export const TIER_MAX_PREFIX: Readonly<Record<SubnetTier, { prefix: number; why: string }>> = {
  public: { prefix: 27, why: "an Application or Network Load Balancer needs a subnet of at least /27" },
  private: {
    prefix: 24,
    why: "notebooks, processing and training jobs each take ENIs; below /24 a busy team runs out of addresses",
  },
  isolated: { prefix: 28, why: "/28 is the smallest subnet AWS allows" },
  training: {
    prefix: 24,
    why: "GPU nodes attach many network interfaces each (up to 32 on p5); below /24 a cluster cannot scale out",
  },
};

const S3_BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s]*)?$/;
/** IPv4 CIDR blocks per VPC: 5 by default, adjustable to 50 ("Amazon VPC quotas"). */
export const MAX_VPC_CIDR_BLOCKS = 50;
/** Rules per direction of a network ACL: 20 by default, adjustable to 40 ("Amazon VPC quotas", network ACLs). */
export const DEFAULT_NACL_RULE_QUOTA = 20;

const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const within2 = (cidr: string, block: string) => checkCidr(cidr).ok && within(cidr, block);

/**
 * Why AWS refuses `secondary` beside `primary`, or undefined: the table
 * "IPv4 CIDR block association restrictions", Amazon VPC user guide
 * (docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html).
 */
export function secondaryRestriction(primary: string, secondary: string): string | undefined {
  const primaryRange = RFC1918.find((r) => within2(primary, r));
  const secondaryRange = RFC1918.find((r) => within2(secondary, r));
  if (within2(secondary, "198.19.0.0/16")) return "is in 198.19.0.0/16, which AWS does not associate as a secondary block";
  if (primaryRange) {
    if (secondaryRange && secondaryRange !== primaryRange)
      return `is from ${secondaryRange}, another RFC 1918 range than the primary's (${primaryRange}); AWS refuses the association`;
    if (primaryRange === "10.0.0.0/8" && within2(primary, "10.0.0.0/15") && within2(secondary, "10.0.0.0/16"))
      return "is in 10.0.0.0/16, which AWS refuses when the primary falls within 10.0.0.0/15";
    if (primaryRange === "172.16.0.0/12" && within2(secondary, "172.31.0.0/16")) return "is in 172.31.0.0/16, which AWS refuses beside a 172.16.0.0/12 primary";
    return undefined;
  }
  if (secondaryRange) return `is from ${secondaryRange} (RFC 1918), which AWS refuses beside a primary outside RFC 1918`;
  return undefined;
}

type Add = (path: string, value: unknown, message: string, fix: string) => void;

/**
 * Checks between fields of MlVpc props, section by section; every issue of
 * every section is reported together.
 */
export function validateMlVpc(props: ResolvedMlVpcProps): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add: Add = (path, value, message, fix) => issues.push({ path, value, message, fix });
  checkRegionAndAzs(props, add);
  const vpcBlocks = checkVpcBlocks(props, add);
  const cidrsValid = vpcBlocks.length === 1 + props.secondaryCidrs.length;
  const tiersValid = checkTiers(props, issues, add, vpcBlocks, cidrsValid);
  // Overlaps between subnets: only computable once everything above holds.
  if (issues.length === 0 && cidrsValid && tiersValid) checkSubnetOverlaps(props, add);
  checkNat(props, add);
  checkTrainingEgress(props, add);
  checkFlowLogs(props, add);
  checkDefaultNetworkAcl(props, add);
  issues.push(...nameIssues([{ name: `${props.name}-vpc-flow-logs`, rule: "iamRole", path: "name", value: props.name, fix: "shorten the name" }]));

  // Tags: the module adds Name and Tier to every resource.
  issues.push(...tagIssues(props.tags, "tags", ["Name", "Tier"]));
  return issues;
}

/** The baseline default NACL holds one entry per VPC CIDR block: it must fit AWS's 20 rules per direction. */
function checkDefaultNetworkAcl(props: ResolvedMlVpcProps, add: Add): void {
  const blocks = 1 + props.secondaryCidrs.length;
  if (props.defaultNetworkAcl === "baseline" && blocks + BASELINE_FIXED_ENTRIES > DEFAULT_NACL_RULE_QUOTA) {
    add(
      "defaultNetworkAcl",
      props.defaultNetworkAcl,
      `needs ${blocks + BASELINE_FIXED_ENTRIES} rules per direction for ${blocks} CIDR blocks; a NACL takes ${DEFAULT_NACL_RULE_QUOTA} by default ("Amazon VPC quotas")`,
      'use fewer CIDR blocks, or set defaultNetworkAcl: "denyAll" and give every tier its own NACL with TierNetworkAcls',
    );
  }
}

/** The region is known and every AZ belongs to it and fits the plan's slots. */
function checkRegionAndAzs(props: ResolvedMlVpcProps, add: Add): void {
  const region = props.region;
  if (region !== undefined && !isKnownRegion(region)) {
    add("region", region, "is not a known AWS region", `use one of ${KNOWN_REGIONS.join(", ")}`);
  }
  const seenAz = new Set<string>();
  props.availabilityZones.forEach((az, i) => {
    const path = `availabilityZones[${i}]`;
    const parsed = parseAzName(az);
    if (!parsed) {
      add(path, az, "is not an availability-zone name", 'use a name such as "us-east-1a" (region + letter)');
      return;
    }
    if (seenAz.has(az)) {
      add(path, az, "is listed twice", "list each availability zone once");
    }
    seenAz.add(az);
    if (region !== undefined && isKnownRegion(region)) {
      if (parsed.region !== region || !REGION_AZ_LETTERS[region].includes(parsed.letter)) {
        add(path, az, `is not an availability zone of region ${region}`, `use one of ${zonesOf(region)!.join(", ")}`);
        return;
      }
    }
    if (azSlot(az) >= props.azSlots) {
      add(
        path,
        az,
        `needs AZ slot ${azSlot(az)} (letter ${parsed.letter}) but the CIDR plan reserves ${props.azSlots} slots per tier (letters a-${String.fromCharCode(96 + props.azSlots)})`,
        `on a new VPC set azSlots to ${nextPowerOfTwo(azSlot(az) + 1)} (this moves every planned CIDR); on an existing VPC give this AZ explicit cidrs in each tier`,
      );
    }
  });
}

/** The primary and secondary CIDR blocks; returns the valid ones. */
function checkVpcBlocks(props: ResolvedMlVpcProps, add: Add): string[] {
  const vpcBlocks: string[] = [];
  const checkBlock = (path: string, value: string): boolean => {
    const c = checkCidr(value);
    if (!c.ok) {
      const network = networkOf(value);
      add(path, value, c.reason, network ? `use ${network}` : 'use a network address in CIDR notation, e.g. "10.20.0.0/16"');
      return false;
    }
    const prefix = prefixOf(value);
    if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
      add(path, value, `has prefix /${prefix}; a VPC CIDR block must be /16 to /28`, "use a prefix between /16 and /28");
      return false;
    }
    return true;
  };
  if (checkBlock("cidr", props.cidr)) vpcBlocks.push(props.cidr);
  props.secondaryCidrs.forEach((block, i) => {
    const path = `secondaryCidrs[${i}]`;
    if (!checkBlock(path, block)) return;
    const clash = vpcBlocks.find((other) => overlaps(other, block));
    if (clash) {
      add(path, block, `overlaps VPC CIDR block ${clash}`, "use a block that overlaps no other CIDR block of this VPC");
      return;
    }
    const restricted = vpcBlocks.length > 0 ? secondaryRestriction(vpcBlocks[0], block) : undefined;
    if (restricted) {
      add(
        path,
        block,
        restricted,
        'pick a secondary block AWS allows with this primary (VPC user guide, "IPv4 CIDR block association restrictions"), e.g. another part of the primary\'s RFC 1918 range or 100.64.0.0/10',
      );
      return;
    }
    vpcBlocks.push(block);
  });
  if (1 + props.secondaryCidrs.length > MAX_VPC_CIDR_BLOCKS) {
    add(
      "secondaryCidrs",
      props.secondaryCidrs,
      `makes ${1 + props.secondaryCidrs.length} CIDR blocks; a VPC takes at most ${MAX_VPC_CIDR_BLOCKS} (default quota 5)`,
      "use fewer, larger blocks",
    );
  }
  return vpcBlocks;
}

/** Every configured tier; returns whether all of them are valid. */
function checkTiers(props: ResolvedMlVpcProps, issues: readonly ConfigIssue[], add: Add, vpcBlocks: readonly string[], cidrsValid: boolean): boolean {
  const configured = SUBNET_TIERS.filter((t) => props.tiers[t]);
  if (configured.length === 0) {
    add("tiers", props.tiers, "configures no subnet tier", "configure at least one of public, private, isolated, training");
  }
  const secondaryOwners = new Map<string, SubnetTier>();
  let tiersValid = true;
  for (const tier of configured) {
    const before = issues.length;
    checkTier(props, tier, add, { secondaryOwners, vpcBlocks, cidrsValid, clean: () => issues.length === before });
    if (issues.length !== before) tiersValid = false;
  }
  return tiersValid;
}

/** One tier: prefix, AZs, CIDR block, explicit CIDRs, and the fit of planned subnets. */
function checkTier(
  props: ResolvedMlVpcProps,
  tier: SubnetTier,
  add: Add,
  ctx: { secondaryOwners: Map<string, SubnetTier>; vpcBlocks: readonly string[]; cidrsValid: boolean; clean: () => boolean },
): void {
  const { secondaryOwners, vpcBlocks, cidrsValid } = ctx;
  const cfg = props.tiers[tier]!;
  const base = `tiers.${tier}`;
  const limit = TIER_MAX_PREFIX[tier];
  if (cfg.prefixLength < MIN_PREFIX || cfg.prefixLength > limit.prefix) {
    add(
      `${base}.prefixLength`,
      cfg.prefixLength,
      cfg.prefixLength > limit.prefix ? `is too small for the ${tier} tier: ${limit.why}` : "is larger than any subnet AWS allows (/16 at most)",
      `use a prefix length between ${MIN_PREFIX} and ${limit.prefix}`,
    );
  }
  const azs = tierAzs(props, tier);
  if (cfg.availabilityZones) {
    if (cfg.availabilityZones.length === 0) {
      add(`${base}.availabilityZones`, [], "is empty", "omit it to use every VPC AZ, or list at least one");
    }
    const seen = new Set<string>();
    cfg.availabilityZones.forEach((az, i) => {
      if (!props.availabilityZones.includes(az)) {
        add(
          `${base}.availabilityZones[${i}]`,
          az,
          "is not one of the VPC's availability zones",
          `use one of ${props.availabilityZones.join(", ")} or add it to availabilityZones`,
        );
      }
      if (seen.has(az)) add(`${base}.availabilityZones[${i}]`, az, "is listed twice", "list each AZ once");
      seen.add(az);
    });
  }
  if (cfg.cidrBlock !== undefined) {
    if (cfg.cidrBlock !== props.cidr && !props.secondaryCidrs.includes(cfg.cidrBlock)) {
      add(
        `${base}.cidrBlock`,
        cfg.cidrBlock,
        "is neither the VPC CIDR nor one of its secondaryCidrs",
        `use ${[props.cidr, ...props.secondaryCidrs].join(" or ")}, or add it to secondaryCidrs`,
      );
    } else if (cfg.cidrBlock !== props.cidr) {
      const owner = secondaryOwners.get(cfg.cidrBlock);
      if (owner) {
        add(
          `${base}.cidrBlock`,
          cfg.cidrBlock,
          `is already owned by the ${owner} tier; a tier on a secondary CIDR takes the whole block`,
          "give each tier its own secondary CIDR, or use explicit cidrs",
        );
      }
      secondaryOwners.set(cfg.cidrBlock, tier);
    }
  }
  for (const [az, cidr] of Object.entries(cfg.cidrs ?? {})) {
    const path = `${base}.cidrs.${az}`;
    if (!azs.includes(az)) {
      add(path, cidr, `names an AZ the ${tier} tier does not span`, `use one of ${azs.join(", ")}`);
      continue;
    }
    const c = checkCidr(cidr);
    if (!c.ok) {
      const network = networkOf(cidr);
      add(path, cidr, c.reason, network ? `use ${network}` : 'use a network address in CIDR notation, e.g. "10.20.4.0/24"');
      continue;
    }
    const prefix = prefixOf(cidr);
    if (prefix < MIN_PREFIX || prefix > limit.prefix) {
      add(
        path,
        cidr,
        `has prefix /${prefix}: ${tier} subnets must be /${MIN_PREFIX} to /${limit.prefix}`,
        `use a prefix between /${MIN_PREFIX} and /${limit.prefix}`,
      );
      continue;
    }
    if (cidrsValid && !vpcBlocks.some((block) => within(cidr, block))) {
      add(path, cidr, `lies outside the VPC CIDR blocks (${vpcBlocks.join(", ")})`, "use a range inside the VPC CIDR or add a secondary CIDR that contains it");
    }
  }
  // Planned subnets must fit their AZ block; only meaningful once the block itself is valid.
  const plannedAzs = azs.filter((az) => !cfg.cidrs?.[az]);
  if (cidrsValid && ctx.clean() && plannedAzs.length > 0) {
    const largest = largestPlannablePrefix(props, tier);
    if (cfg.prefixLength < largest) {
      add(
        `${base}.prefixLength`,
        cfg.prefixLength,
        `does not fit the CIDR plan: with ${props.azSlots} AZ slots in the ${tier} block of ${cfg.cidrBlock ?? props.cidr}, subnets can be at most /${largest}`,
        `use prefixLength ${largest} or more, lower azSlots, or give explicit cidrs`,
      );
    }
  }
}

/** Subnets of the plan must not overlap. */
function checkSubnetOverlaps(props: ResolvedMlVpcProps, add: Add): void {
  const subnets = planSubnets(props);
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      const a = subnets[i];
      const b = subnets[j];
      if (overlaps(a.cidr, b.cidr)) {
        const pick = b.origin === "explicit" ? b : a;
        const other = pick === b ? a : b;
        add(
          `tiers.${pick.tier}.cidrs.${pick.availabilityZone}`,
          pick.cidr,
          `overlaps the ${other.tier} subnet in ${other.availabilityZone} (${other.cidr})`,
          "choose a range that no other subnet uses",
        );
      }
    }
  }
}

/** NAT needs a public tier, something to serve, and per-AZ public subnets. */
function checkNat(props: ResolvedMlVpcProps, add: Add): void {
  if (props.nat !== "none") {
    if (!props.tiers.public) {
      add(
        "nat",
        props.nat,
        "needs a public tier to hold the NAT gateways",
        'add tiers.public, or set nat: "none" and reach AWS services through VPC endpoints',
      );
    }
    if (!props.tiers.private && !props.tiers.training?.natEgress) {
      add(
        "nat",
        props.nat,
        "serves the private tier (and a training tier with natEgress), neither of which is configured (a NAT gateway costs about $33 a month idle)",
        'set nat: "none" or add tiers.private',
      );
    }
    if (props.nat === "perAz" && props.tiers.public && props.tiers.private) {
      const publicAzs = tierAzs(props, "public");
      for (const az of tierAzs(props, "private")) {
        if (!publicAzs.includes(az)) {
          add(
            "nat",
            props.nat,
            `needs a public subnet in ${az}, where the private tier has a subnet`,
            `add ${az} to tiers.public.availabilityZones, or use nat: "single"`,
          );
        }
      }
    }
  }
}

/** The training tier's NAT route needs a NAT gateway it can follow. */
function checkTrainingEgress(props: ResolvedMlVpcProps, add: Add): void {
  if (props.tiers.training?.natEgress) {
    const path = "tiers.training.natEgress";
    if (props.nat === "none") {
      add(
        path,
        true,
        'routes training traffic to a NAT gateway, but nat is "none"',
        'set nat: "single" (or "perAz"), or drop natEgress and reach AWS through endpoints',
      );
    } else if (props.nat === "perAz" && props.tiers.public) {
      const trainingAzs = tierAzs(props, "training");
      const publicAzs = tierAzs(props, "public");
      if (trainingAzs.length > 1) {
        add(
          path,
          true,
          `needs the training tier in one AZ with nat "perAz": its one route table can follow one AZ's NAT gateway, and it spans ${trainingAzs.join(", ")}`,
          'give tiers.training one availabilityZone, or use nat: "single"',
        );
      } else if (!publicAzs.includes(trainingAzs[0])) {
        add(
          path,
          true,
          `needs a NAT gateway in ${trainingAzs[0]}, which has no public subnet`,
          `add ${trainingAzs[0]} to tiers.public.availabilityZones, or use nat: "single"`,
        );
      }
    }
  }
}

/** Flow-log destination, bucket, key and log group. */
function checkFlowLogs(props: ResolvedMlVpcProps, add: Add): void {
  const fl = props.flowLogs;
  if (fl.destination === "s3") {
    if (!fl.s3BucketArn) {
      add(
        "flowLogs.s3BucketArn",
        undefined,
        'is required when destination is "s3"',
        "give the ARN of the log-archive bucket, e.g. arn:aws:s3:::acme-vpc-flow-logs",
      );
    } else if (!S3_BUCKET_ARN.test(fl.s3BucketArn)) {
      add("flowLogs.s3BucketArn", fl.s3BucketArn, "is not an S3 bucket ARN", "use arn:aws:s3:::<bucket>[/prefix]");
    }
  } else if (fl.s3BucketArn !== undefined) {
    add("flowLogs.s3BucketArn", fl.s3BucketArn, `is set but destination is "${fl.destination}", so it would be ignored`, 'remove it, or set destination: "s3"');
  }
  // CloudWatch Logs takes a key ARN for a log group (an alias or key id is refused).
  if (fl.kmsKeyArn !== undefined && !SHAPES.kmsKeyArn.re.test(fl.kmsKeyArn)) {
    add(
      "flowLogs.kmsKeyArn",
      fl.kmsKeyArn,
      "is not a KMS key ARN (CloudWatch Logs takes the key's ARN, not an alias or id)",
      `use ${SHAPES.kmsKeyArn.example}, or omit it to create a key`,
    );
  }
  if (fl.logGroupName !== undefined) {
    const problem = nameProblem(NAME_RULES.logGroup, fl.logGroupName);
    if (problem) add("flowLogs.logGroupName", fl.logGroupName, problem, "use 1-512 characters from a-z A-Z 0-9 . - _ / #, not starting with aws/");
  }
}

function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
}
