/** Shape and checks of EfaCluster props. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import type { ConfigIssue } from "../core/errors";
import { hasOwn } from "../core/schema";
import { SHAPES, nameIssues } from "../core/aws-limits";
import { didYouMean } from "../core/suggest";
import type { Exact } from "../core/types";
import type { EfaClusterConfig } from "./index";
import { EFA_INSTANCE_TYPES, EFA_INSTANCE_TYPE_NAMES } from "./instance-types";

export const efaClusterConfigSchema = z.strictObject({
  instanceType: z.string(),
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

  if (!hasOwn(EFA_INSTANCE_TYPES, cfg.instanceType)) {
    add(
      "instanceType",
      cfg.instanceType,
      "does not support EFA (or is not in the EFA table)",
      `${didYouMean(cfg.instanceType, EFA_INSTANCE_TYPE_NAMES)} The EFA types are ${EFA_INSTANCE_TYPE_NAMES.join(", ")}; add a type to modules/efa-cluster/instance-types.ts with its MaximumEfaInterfaces`,
    );
  }
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
