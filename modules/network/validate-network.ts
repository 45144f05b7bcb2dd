/**
 * A network handed to the modules as a plain object (an existing VPC) is
 * checked like MlVpc props before anything is placed in it: ids by shape,
 * CIDRs valid and inside the VPC, AZs named, listed and in the region,
 * subnets of known tiers that do not overlap. Values that are tokens
 * (references resolved at deploy time) are not judged.
 */
import { Token } from "cdktf";
import { ConfigError, type ConfigIssue } from "../core/errors";
import { SHAPES, type ShapeId } from "../core/aws-limits";
import { checkCidr, overlaps, within } from "../core/cidr";
import { KNOWN_REGIONS, REGION_AZ_LETTERS, isKnownRegion, parseAzName, zonesOf } from "./regions";
import { SUBNET_TIERS } from "./schema";
import type { IMlNetwork } from "./index";

const known = (v: unknown): v is string => typeof v === "string" && !Token.isUnresolved(v);

/** Every problem of a network object, with paths as the object is written (`subnets[2].cidr`). */
export function networkIssues(network: IMlNetwork): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  const shape = (path: string, value: unknown, id: ShapeId, what: string) => {
    if (known(value) && !SHAPES[id].re.test(value)) add(path, value, `is not a ${what} id`, `use the ${what} id, e.g. ${SHAPES[id].example}`);
    if (value === undefined || value === "") add(path, value, `is missing`, `give the ${what} id, e.g. ${SHAPES[id].example}`);
  };
  if (!known(network.name) || !/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(network.name)) {
    add(
      "name",
      network.name,
      "must be 2-40 lower-case letters, digits or hyphens, starting with a letter",
      'use a short slug such as "legacy-ml"; it prefixes Name tags',
    );
  }
  shape("vpcId", network.vpcId, "vpcId", "VPC");
  const region = known(network.region) ? network.region : undefined;
  if (region !== undefined && !isKnownRegion(region)) add("region", region, "is not a known AWS region", `use one of ${KNOWN_REGIONS.join(", ")}`);

  const vpcCidrs = (network.vpcCidrs ?? []).filter(known);
  if ((network.vpcCidrs ?? []).length === 0) add("vpcCidrs", network.vpcCidrs, "is empty", "list the VPC's CIDR blocks, primary first");
  vpcCidrs.forEach((cidr, i) => {
    const c = checkCidr(cidr);
    if (!c.ok) add(`vpcCidrs[${i}]`, cidr, c.reason, 'use the block in CIDR notation, e.g. "10.0.0.0/16"');
  });
  const validBlocks = vpcCidrs.filter((c) => checkCidr(c).ok);

  const azs = (network.availabilityZones ?? []).filter(known);
  azs.forEach((az, i) => {
    const parsed = parseAzName(az);
    if (!parsed) add(`availabilityZones[${i}]`, az, "is not an availability-zone name", 'use a name such as "eu-west-1a" (region + letter)');
    else if (region !== undefined && isKnownRegion(region) && (parsed.region !== region || !REGION_AZ_LETTERS[region].includes(parsed.letter)))
      add(`availabilityZones[${i}]`, az, `is not an availability zone of region ${region}`, `use one of ${zonesOf(region)!.join(", ")}`);
    if (azs.indexOf(az) !== i) add(`availabilityZones[${i}]`, az, "is listed twice", "list each availability zone once");
  });

  const subnets = network.subnets ?? [];
  if (subnets.length === 0)
    add("subnets", subnets, "is empty: the modules have nowhere to place anything", "list the subnets the modules may use, with their tiers");
  const seenIds = new Map<string, number>();
  subnets.forEach((s, i) => {
    const path = `subnets[${i}]`;
    shape(`${path}.id`, s.id, "subnetId", "subnet");
    shape(`${path}.routeTableId`, s.routeTableId, "routeTableId", "route table");
    if (known(s.id)) {
      if (seenIds.has(s.id)) add(`${path}.id`, s.id, `is the same subnet as subnets[${seenIds.get(s.id)}]`, "list each subnet once");
      seenIds.set(s.id, i);
    }
    if (!(SUBNET_TIERS as readonly string[]).includes(s.tier)) add(`${path}.tier`, s.tier, "is not a subnet tier", `use one of ${SUBNET_TIERS.join(", ")}`);
    if (known(s.availabilityZone) && !azs.includes(s.availabilityZone))
      add(
        `${path}.availabilityZone`,
        s.availabilityZone,
        "is not one of the network's availabilityZones",
        `add it to availabilityZones, or use one of ${azs.join(", ") || "(none listed)"}`,
      );
    if (!known(s.cidr)) return;
    const c = checkCidr(s.cidr);
    if (!c.ok) add(`${path}.cidr`, s.cidr, c.reason, 'use the subnet\'s block in CIDR notation, e.g. "10.0.4.0/24"');
    else if (validBlocks.length > 0 && !validBlocks.some((b) => within(s.cidr, b)))
      add(
        `${path}.cidr`,
        s.cidr,
        `lies outside the VPC CIDR blocks (${validBlocks.join(", ")})`,
        "correct the subnet's CIDR, or add the VPC block that holds it to vpcCidrs",
      );
    else {
      const clash = subnets.findIndex((o, j) => j < i && known(o.cidr) && checkCidr(o.cidr).ok && overlaps(o.cidr, s.cidr));
      if (clash >= 0) add(`${path}.cidr`, s.cidr, `overlaps subnets[${clash}] (${subnets[clash].cidr})`, "subnets of one VPC never overlap: correct the CIDR");
    }
  });
  for (const key of ["dnsSupport", "dnsHostnames"] as const) {
    if (typeof network[key] !== "boolean")
      add(key, network[key], "is not true or false", `say whether the VPC has ${key === "dnsSupport" ? "DNS support" : "DNS hostnames"} enabled`);
  }
  return issues;
}

const checked = new WeakSet<object>();

/**
 * Throws a ConfigError naming the module and every problem of the network,
 * once per network object (MlVpc validates its own props and passes).
 */
export function assertNetwork(network: IMlNetwork, where: string): void {
  if (network === null || typeof network !== "object") {
    throw new ConfigError(where, [
      { path: "network", value: network, message: "is not a network", fix: "pass an MlVpc or an object describing an existing VPC (IMlNetwork)" },
    ]);
  }
  if (checked.has(network)) return;
  const issues = networkIssues(network).map((i) => ({ ...i, path: `network.${i.path}` }));
  if (issues.length > 0) throw new ConfigError(where, issues);
  checked.add(network);
}
