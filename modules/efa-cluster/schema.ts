/** Shape and checks of EfaCluster props. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import type { ConfigIssue } from "../core/errors";
import { hasOwn } from "../core/schema";
import { SHAPES, nameIssues } from "../core/aws-limits";
import { didYouMean } from "../core/suggest";
import type { Exact } from "../core/types";
import type { EfaClusterConfig } from "./index";
import { EFA_INSTANCE_TYPES, EFA_INSTANCE_TYPE_NAMES, networkCardsOf, type EfaInstanceType, type EfaInstanceTypeName } from "./instance-types";

const instanceSpecSchema = z.strictObject({
  efaInterfaces: z.number(),
  networkCards: z.number().optional(),
  efaOnCardZero: z.boolean().default(true),
  networkGbps: z.number().optional(),
  accelerators: z.string().optional(),
  family: z.enum(["gpu", "neuron"]).optional(),
  overrideReason: z.string().optional(),
});

export const efaClusterConfigSchema = z.strictObject({
  instanceType: z.string(),
  instanceSpec: instanceSpecSchema.optional(),
  availabilityZone: z.string().optional(),
  nodes: z.strictObject({ min: z.number().default(0), desired: z.number().default(0), max: z.number() }),
  ami: z.union([z.strictObject({ ssmParameter: z.string() }), z.strictObject({ id: z.string() })]),
  placementStrategy: z.string().default("cluster"),
  capacityReservation: z
    .strictObject({ id: z.string().optional(), resourceGroupArn: z.string().optional(), capacityBlock: z.boolean().default(false) })
    .optional(),
  rootVolume: z.strictObject({ sizeGiB: z.number().default(200), kmsKeyId: z.string().optional(), deviceName: z.string().default("/dev/sda1") }).prefault({}),
  imdsHopLimit: z.number().default(1),
  manageDesiredCapacity: z.boolean().default(true),
  additionalPolicyArns: uniqueList(z.string()).default([]),
});
export type ResolvedEfaClusterConfig = z.output<typeof efaClusterConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof efaClusterConfigSchema>, EfaClusterConfig> = true;
void configMatchesSchema;

/** The EFA layout a cluster follows, and where it came from. */
export interface ResolvedInstanceSpec {
  readonly efaInterfaces: number;
  readonly networkCards: number;
  readonly efaOnCardZero: boolean;
  readonly networkGbps: number | undefined;
  readonly accelerators: string | undefined;
  readonly family: "gpu" | "neuron" | undefined;
  /** `table`: the built-in entry; `spec`: instanceSpec for a type the table lacks; `override`: instanceSpec replacing the entry. */
  readonly source: "table" | "spec" | "override";
}

const tableEntry = (type: string): EfaInstanceType | undefined =>
  hasOwn(EFA_INSTANCE_TYPES, type) ? EFA_INSTANCE_TYPES[type as EfaInstanceTypeName] : undefined;

/** The fields of a spec that disagree with the table's entry: [field, spec's value, table's value]. */
function disagreements(spec: NonNullable<ResolvedEfaClusterConfig["instanceSpec"]>, entry: EfaInstanceType): [string, unknown, unknown][] {
  const table = { ...entry, efaOnCardZero: entry.efaOnCardZero ?? true, networkCards: networkCardsOf(entry) };
  const fields = ["efaInterfaces", "networkCards", "efaOnCardZero", "networkGbps", "accelerators", "family"] as const;
  return fields.filter((f) => spec[f] !== undefined && spec[f] !== table[f]).map((f) => [f, spec[f], table[f]]);
}

/**
 * The layout a valid cluster config follows: the table's entry, unless
 * `instanceSpec` describes a type the table lacks or overrides (with a
 * reason) the entry it disagrees with. Undefined for an unknown type without
 * a spec (validation reports it).
 */
export function resolveInstanceSpec(cfg: Pick<ResolvedEfaClusterConfig, "instanceType" | "instanceSpec">): ResolvedInstanceSpec | undefined {
  const entry = tableEntry(cfg.instanceType);
  const spec = cfg.instanceSpec;
  const fromTable = (e: EfaInstanceType, source: ResolvedInstanceSpec["source"]): ResolvedInstanceSpec => ({
    efaInterfaces: e.efaInterfaces,
    networkCards: networkCardsOf(e),
    efaOnCardZero: e.efaOnCardZero ?? true,
    networkGbps: e.networkGbps,
    accelerators: e.accelerators,
    family: e.family,
    source,
  });
  if (!spec) return entry && fromTable(entry, "table");
  if (entry && (spec.overrideReason === undefined || disagreements(spec, entry).length === 0)) return fromTable(entry, "table");
  // The spec's fields win; an override keeps the table's for those it leaves out (accelerators, bandwidth, family).
  const { overrideReason: _reason, ...fields } = spec;
  void _reason;
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return fromTable({ ...entry, ...given } as EfaInstanceType, entry ? "override" : "spec");
}

/**
 * Checks of `instanceSpec` and the instance type, like the built-in table's:
 * whole numbers of interfaces and cards, one EFA-only interface per network
 * card, card 0 without EFA leaving one card fewer. The EC2 guide lays EFA out
 * one interface per card ("Maximize network bandwidth on Amazon EC2 instances
 * with multiple network cards", docs.aws.amazon.com/AWSEC2/latest/UserGuide/efa-acc-inst-types.html:
 * the ENA primary at card 0 device 0, an EFA-only interface at card 0 device
 * 1 when card 0 supports EFA, then "the next unused network card index,
 * device index 0" for each further one), and a type takes at most its
 * `EfaInfo.MaximumEfaInterfaces` (EC2 API reference, EfaInfo) on at most its
 * `NetworkInfo.MaximumNetworkCards` cards (NetworkInfo).
 */
function instanceTypeIssues(cfg: ResolvedEfaClusterConfig, add: (path: string, value: unknown, message: string, fix: string) => void): void {
  const entry = tableEntry(cfg.instanceType);
  const spec = cfg.instanceSpec;
  const query = `aws ec2 describe-instance-types --instance-types ${cfg.instanceType} --query "InstanceTypes[].NetworkInfo.[EfaInfo.MaximumEfaInterfaces,MaximumNetworkCards]"`;
  if (!spec) {
    if (!entry) {
      add(
        "instanceType",
        cfg.instanceType,
        "does not support EFA, or is not in the built-in EFA table",
        `${didYouMean(cfg.instanceType, EFA_INSTANCE_TYPE_NAMES)} The table has ${EFA_INSTANCE_TYPE_NAMES.join(", ")}. For another EFA type, describe its layout in instanceSpec: { efaInterfaces: <MaximumEfaInterfaces>, networkCards: <MaximumNetworkCards> } (${query})`,
      );
    }
    return;
  }
  if (!entry && !/^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/.test(cfg.instanceType)) {
    add("instanceType", cfg.instanceType, "is not an EC2 instance type name (family.size)", "use a name such as p6-b200.48xlarge");
  }
  const { efaInterfaces, networkCards, efaOnCardZero } = spec;
  let counts = true;
  if (!Number.isInteger(efaInterfaces) || efaInterfaces < 1) {
    add("instanceSpec.efaInterfaces", efaInterfaces, "must be a whole number of EFA interfaces, 1 or more", `use the type's MaximumEfaInterfaces (${query})`);
    counts = false;
  }
  if (networkCards !== undefined && (!Number.isInteger(networkCards) || networkCards < 1)) {
    add(
      "instanceSpec.networkCards",
      networkCards,
      "must be a whole number of network cards, 1 or more",
      `use the type's MaximumNetworkCards (${query}), or omit it`,
    );
    counts = false;
  }
  if (counts && networkCards !== undefined) {
    const efaCards = networkCards - (efaOnCardZero ? 0 : 1);
    if (efaInterfaces > efaCards) {
      add(
        "instanceSpec.efaInterfaces",
        efaInterfaces,
        `needs one network card per EFA interface, but the type has ${efaCards} EFA-capable card${efaCards === 1 ? "" : "s"} (${networkCards}${efaOnCardZero ? "" : ", card 0 without EFA"})`,
        `use at most ${efaCards}, or check networkCards and efaOnCardZero (${query})`,
      );
    }
  }
  if (spec.networkGbps !== undefined && !(Number.isFinite(spec.networkGbps) && spec.networkGbps > 0))
    add("instanceSpec.networkGbps", spec.networkGbps, "must be a positive bandwidth in Gbps", "use e.g. 3200, or omit it");
  if (spec.accelerators !== undefined && spec.accelerators.trim() === "")
    add("instanceSpec.accelerators", spec.accelerators, "is empty", 'describe them, e.g. "8x NVIDIA B200", or omit it');

  const reason = spec.overrideReason;
  if (!entry) {
    if (reason !== undefined) {
      add(
        "instanceSpec.overrideReason",
        reason,
        `overrides nothing: ${cfg.instanceType} is not in the built-in EFA table`,
        `remove it for a type the table lacks, or check instanceType: ${didYouMean(cfg.instanceType, EFA_INSTANCE_TYPE_NAMES)}`,
      );
    }
    return;
  }
  if (reason !== undefined && reason.trim() === "") {
    add("instanceSpec.overrideReason", reason, "is empty", "say why the built-in table is wrong for this type, e.g. the MaximumEfaInterfaces AWS now reports");
    return;
  }
  if (reason === undefined) {
    for (const [field, given, table] of disagreements(spec, entry)) {
      add(
        `instanceSpec.${field}`,
        given,
        `disagrees with the built-in table, which gives ${cfg.instanceType} ${JSON.stringify(table)}`,
        "remove instanceSpec (the table's layout applies), or keep it and set instanceSpec.overrideReason to why the table is wrong",
      );
    }
  }
}

/** The training subnets of the network, by AZ. */
export type TrainingSubnets = Readonly<Record<string, readonly string[]>>;

/**
 * Checks a cluster against the network's training subnets; returns the AZ it
 * will use when valid. With `names` (the network's name and the cluster's,
 * and the field the cluster name was given in), the names the cluster will
 * create are checked against AWS's limits too.
 */
export function validateEfaCluster(
  cfg: ResolvedEfaClusterConfig,
  training: TrainingSubnets,
  tier: string,
  names?: { readonly network: string; readonly cluster: string; readonly path: string },
): { issues: ConfigIssue[]; az?: string } {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  if (names) {
    const base = `${names.network}-${names.cluster}`;
    // The longest name the cluster creates is its node role, `<network>-<cluster>-node` (IAM: 64).
    const room = 64 - `${names.network}--node`.length;
    const fix = room > 0 ? `shorten the cluster name to at most ${room} characters, or the network's name prefix` : "shorten the network's name prefix";
    issues.push(
      ...nameIssues([
        { name: `${base}-node`, rule: "iamRole", path: names.path, value: names.cluster, fix },
        { name: `${base}-node`, rule: "iamInstanceProfile", path: names.path, value: names.cluster, fix },
        { name: base, rule: "launchTemplate", path: names.path, value: names.cluster, fix },
        { name: base, rule: "placementGroup", path: names.path, value: names.cluster, fix },
        { name: base, rule: "autoScalingGroup", path: names.path, value: names.cluster, fix },
      ]),
    );
  }

  instanceTypeIssues(cfg, add);
  if (cfg.placementStrategy !== "cluster") {
    add(
      "placementStrategy",
      cfg.placementStrategy,
      "is not supported: EFA needs every node in one cluster placement group (spread and partition groups span racks and lose the low-latency fabric)",
      'use "cluster" (or omit it)',
    );
  }
  const { min, desired, max } = cfg.nodes;
  for (const [key, value] of Object.entries({ min, desired, max })) {
    if (!Number.isInteger(value) || value < 0) add(`nodes.${key}`, value, "must be a whole number of nodes, 0 or more", "use 0 for an idle cluster");
  }
  if (issues.every((i) => !i.path.startsWith("nodes."))) {
    if (min > desired) add("nodes.desired", desired, `is below nodes.min (${min})`, `raise desired to at least ${min}, or lower min`);
    if (desired > max) add("nodes.desired", desired, `is above nodes.max (${max})`, `lower desired to at most ${max}, or raise max`);
    if (min > max) add("nodes.min", min, `is above nodes.max (${max})`, "lower min or raise max");
    if (max === 0) add("nodes.max", 0, "allows no node at all", "set max to the largest cluster you will run, e.g. 4");
  }
  if ("ssmParameter" in cfg.ami && !/^\/[A-Za-z0-9_.\-/]+$/.test(cfg.ami.ssmParameter)) {
    add(
      "ami.ssmParameter",
      cfg.ami.ssmParameter,
      "is not an SSM parameter path",
      "use a path such as /aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id",
    );
  }
  if ("id" in cfg.ami && !/^ami-[0-9a-f]{8,17}$/.test(cfg.ami.id))
    add("ami.id", cfg.ami.id, "is not an AMI id", "use ami-0123456789abcdef0, or an SSM parameter");
  const cr = cfg.capacityReservation;
  if (cr) {
    if ((cr.id === undefined) === (cr.resourceGroupArn === undefined))
      add("capacityReservation", cr, "needs exactly one of id or resourceGroupArn", "give the reservation id (cr-...) or its resource group ARN");
    if (cr.id !== undefined && !SHAPES.capacityReservationId.re.test(cr.id))
      add("capacityReservation.id", cr.id, "is not a capacity reservation id", `use ${SHAPES.capacityReservationId.example}`);
  }
  if (!Number.isInteger(cfg.rootVolume.sizeGiB) || cfg.rootVolume.sizeGiB < 8 || cfg.rootVolume.sizeGiB > 16384) {
    add("rootVolume.sizeGiB", cfg.rootVolume.sizeGiB, "is outside 8-16384 GiB", "use e.g. 200");
  }
  if (cfg.imdsHopLimit !== 1 && cfg.imdsHopLimit !== 2)
    add("imdsHopLimit", cfg.imdsHopLimit, "must be 1 (host only) or 2 (containers on the node need IMDS)", "use 1, or 2 for containerized training");

  // Placement: one AZ, one subnet of the training tier.
  const azs = Object.keys(training);
  let az: string | undefined;
  if (azs.length === 0) {
    add("network", tier, `has no ${tier} subnet; EFA nodes run in the ${tier} tier`, `add tiers.${tier} to the network (one AZ is enough)`);
  } else if (cfg.availabilityZone !== undefined) {
    if (!hasOwn(training, cfg.availabilityZone)) add("availabilityZone", cfg.availabilityZone, `has no ${tier} subnet`, `use one of ${azs.join(", ")}`);
    else az = cfg.availabilityZone;
  } else if (azs.length > 1) {
    add(
      "availabilityZone",
      undefined,
      `must be chosen: the ${tier} tier spans ${azs.join(", ")}, and an EFA cluster must stay in one AZ`,
      `set availabilityZone to one of ${azs.join(", ")}`,
    );
  } else {
    az = azs[0];
  }
  if (az && training[az].length > 1) {
    add(
      "availabilityZone",
      az,
      `holds ${training[az].length} ${tier} subnets; EFA traffic does not cross subnets`,
      "give the cluster a network view with one subnet in that AZ",
    );
    az = undefined;
  }
  cfg.additionalPolicyArns.forEach((arn, i) => {
    if (!SHAPES.iamPolicyArn.re.test(arn))
      add(`additionalPolicyArns[${i}]`, arn, "is not an IAM policy ARN", "use arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account>:policy/<name>");
  });
  if (cr?.resourceGroupArn !== undefined && !SHAPES.resourceGroupArn.re.test(cr.resourceGroupArn)) {
    add("capacityReservation.resourceGroupArn", cr.resourceGroupArn, "is not a resource group ARN", `use e.g. ${SHAPES.resourceGroupArn.example}`);
  }
  if (cfg.rootVolume.kmsKeyId !== undefined && !SHAPES.kmsKeyAny.re.test(cfg.rootVolume.kmsKeyId)) {
    add("rootVolume.kmsKeyId", cfg.rootVolume.kmsKeyId, "is not a KMS key id, alias or ARN", `use ${SHAPES.kmsKeyAny.example}`);
  }
  if (!SHAPES.ebsDeviceName.re.test(cfg.rootVolume.deviceName)) {
    add("rootVolume.deviceName", cfg.rootVolume.deviceName, "is not an EBS device name", `use ${SHAPES.ebsDeviceName.example}: the AMI's root device`);
  }
  return { issues, az: issues.length === 0 ? az : undefined };
}
