/** Shape and checks of SageMaker workspace props. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import type { ConfigIssue } from "../core/errors";
import type { Exact } from "../core/types";
import type { SubnetTier } from "../network";
import { subnetTierSchema } from "../network/schema";
import { nameIssues } from "../core/aws-limits";
import { didYouMean } from "../core/suggest";
import { NOTEBOOK_INSTANCE_TYPES } from "./instance-types";
import type { SageMakerConfig } from "./index";

const notebookSchema = z.strictObject({
  instanceType: z.string().default("ml.t3.medium"),
  tier: subnetTierSchema.default("private"),
  availabilityZone: z.string().optional(),
  volumeSizeGiB: z.number().default(50),
  directInternetAccess: z.boolean().default(false),
  directInternetAccessReason: z.string().optional(),
});

export const sagemakerConfigSchema = z.strictObject({
  notebooks: z.record(z.string(), notebookSchema).default({}),
  domain: z
    .strictObject({ name: z.string().optional(), tier: subnetTierSchema.default("private"), availabilityZones: uniqueList(z.string()).optional() })
    .optional(),
  guardrails: z.strictObject({ enabled: z.boolean().default(true), requireNetworkIsolation: z.boolean().default(false) }).prefault({}),
  s3BucketArns: uniqueList(z.string()).default([]),
  kmsKeyArn: z.string().optional(),
  additionalNotebookInstanceTypes: uniqueList(z.string()).default([]),
});
export type ResolvedSageMakerConfig = z.output<typeof sagemakerConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof sagemakerConfigSchema>, SageMakerConfig> = true;
void configMatchesSchema;

/** AZs per tier of the network. */
export type TierView = Partial<Record<SubnetTier, readonly string[]>>;

/**
 * Checks the workspace against the network's tiers. With `networkName`, the
 * names the workspace creates (notebooks, domain, roles, policy, key alias)
 * are checked against AWS's limits too.
 */
export function validateSageMaker(cfg: ResolvedSageMakerConfig, tiers: TierView, networkName?: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, value: unknown, message: string, fix: string) => issues.push({ path, value, message, fix });
  cfg.additionalNotebookInstanceTypes.forEach((type, i) => {
    // SageMaker instance types: "ml.", a family, a size (ml.t3.medium, ml.p4d.24xlarge).
    if (!/^ml\.[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(type))
      add(`additionalNotebookInstanceTypes[${i}]`, type, "is not a SageMaker instance type name", 'write it as SageMaker does, e.g. "ml.g6.xlarge"');
    else if (NOTEBOOK_INSTANCE_TYPES.includes(type))
      add(`additionalNotebookInstanceTypes[${i}]`, type, "is already a built-in notebook instance type", "remove it from additionalNotebookInstanceTypes");
  });
  if (networkName !== undefined) {
    const base = `${networkName}-sagemaker`;
    const prefixFix = "shorten the network's name prefix";
    issues.push(
      ...nameIssues([
        { name: `${base}-execution`, rule: "iamRole", path: "", value: networkName, fix: prefixFix },
        { name: `${base}-guardrails`, rule: "iamPolicy", path: "", value: networkName, fix: prefixFix },
        { name: `alias/${base}`, rule: "kmsAlias", path: "", value: networkName, fix: prefixFix },
        ...(cfg.domain && cfg.domain.name === undefined
          ? [
              {
                name: `${networkName}-studio`,
                rule: "sagemakerDomain" as const,
                path: "domain",
                value: networkName,
                fix: "give domain.name, or shorten the network's name prefix",
              },
            ]
          : []),
        ...Object.keys(cfg.notebooks).map((nb) => ({
          name: `${networkName}-${nb}`,
          rule: "sagemakerNotebook" as const,
          path: `notebooks.${nb}`,
          value: nb,
          fix: `shorten the notebook name to at most ${Math.max(1, 62 - networkName.length)} characters, or the network's name prefix`,
        })),
      ]),
    );
  }
  for (const [name, nb] of Object.entries(cfg.notebooks)) {
    const base = `notebooks.${name}`;
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(name)) add(base, name, "is not a short lower-case name", 'use a name such as "research"');
    if (nb.tier === "public" || nb.tier === "isolated") {
      add(
        `${base}.tier`,
        nb.tier,
        nb.tier === "public"
          ? "puts a notebook where the internet can be reached without NAT controls"
          : "puts a notebook with the data stores, which must only answer",
        "use the private tier",
      );
    } else if (!tiers[nb.tier]?.length) {
      add(`${base}.tier`, nb.tier, "has no subnets in this network", `use a tier the network has: ${Object.keys(tiers).join(", ")}`);
    } else if (nb.availabilityZone !== undefined && !tiers[nb.tier]!.includes(nb.availabilityZone)) {
      add(`${base}.availabilityZone`, nb.availabilityZone, `has no ${nb.tier} subnet`, `use one of ${tiers[nb.tier]!.join(", ")}`);
    }
    if (nb.directInternetAccess && (nb.directInternetAccessReason ?? "").trim().length < 10) {
      add(
        `${base}.directInternetAccess`,
        true,
        "is enabled without an explicit opt-in: the notebook would reach the internet around the VPC's controls and flow logs",
        "leave it off and use NAT or endpoints, or give directInternetAccessReason (at least 10 characters) to record why",
      );
    }
    const known = [...NOTEBOOK_INSTANCE_TYPES, ...cfg.additionalNotebookInstanceTypes];
    if (!known.includes(nb.instanceType))
      add(
        `${base}.instanceType`,
        nb.instanceType,
        "is not an instance type SageMaker notebook instances accept",
        `${didYouMean(nb.instanceType, known)}; a type AWS added after this release goes in additionalNotebookInstanceTypes`,
      );
    if (!Number.isInteger(nb.volumeSizeGiB) || nb.volumeSizeGiB < 5 || nb.volumeSizeGiB > 16384)
      add(`${base}.volumeSizeGiB`, nb.volumeSizeGiB, "is outside 5-16384 GiB", "use e.g. 50");
  }
  if (cfg.domain) {
    if (cfg.domain.tier === "public" || cfg.domain.tier === "isolated")
      add("domain.tier", cfg.domain.tier, "cannot hold a VpcOnly domain's apps", "use the private tier");
    else if (!tiers[cfg.domain.tier]?.length)
      add("domain.tier", cfg.domain.tier, "has no subnets in this network", `use a tier the network has: ${Object.keys(tiers).join(", ")}`);
    cfg.domain.availabilityZones?.forEach((az, i) => {
      if (!tiers[cfg.domain!.tier]?.includes(az))
        add(
          `domain.availabilityZones[${i}]`,
          az,
          `has no ${cfg.domain!.tier} subnet`,
          `use AZs of the ${cfg.domain!.tier} tier: ${(tiers[cfg.domain!.tier] ?? []).join(", ")}`,
        );
    });
    if (cfg.domain.availabilityZones?.length === 0) add("domain.availabilityZones", [], "is empty", "omit it, or list at least one AZ");
    if (cfg.domain.name !== undefined && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(cfg.domain.name))
      add("domain.name", cfg.domain.name, "is not a valid SageMaker domain name", "use letters, digits and hyphens, up to 63 characters");
  }
  cfg.s3BucketArns.forEach((arn, i) => {
    if (!/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(arn))
      add(`s3BucketArns[${i}]`, arn, "is not an S3 bucket ARN", "use arn:aws:s3:::<bucket>");
  });
  if (cfg.kmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(cfg.kmsKeyArn)) {
    add("kmsKeyArn", cfg.kmsKeyArn, "is not a KMS key ARN", "use arn:aws:kms:<region>:<account>:key/<id>, or omit it to create a key");
  }
  return issues;
}
