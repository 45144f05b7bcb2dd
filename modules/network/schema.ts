/**
 * Shape of MlVpc props, checked with zod (types, enums, unknown keys) and
 * filled with the documented defaults. Relations between fields (CIDRs, AZs,
 * NAT) are checked in validate.ts, which reports with the same error format.
 */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import type { Exact } from "../core/types";
import type { FlowLogsProps, MlVpcProps } from "./index";
import { DEFAULT_NETWORK_ACL_MODES } from "./default-nacl";

export const SUBNET_TIERS = ["public", "private", "isolated", "training"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
/** A tier name in another module's props. */
export const subnetTierSchema = z.enum(SUBNET_TIERS);

/**
 * Tiers that exchange traffic with on-premises ranges by default: compute
 * (private) and training. Their NACLs admit the ranges and their route tables
 * learn the VPN's routes; the isolated tier (data stores) and the public tier
 * (NAT, load balancers) do neither, so no route leads where a NACL drops.
 */
export const DEFAULT_ON_PREMISES_TIERS: readonly SubnetTier[] = ["private", "training"];

export const NAT_MODES = ["none", "single", "perAz"] as const;

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const AZ_SLOT_CHOICES = [1, 2, 4, 8, 16] as const;

/** A CloudWatch Logs retention period, in days. */
export const retentionDaysSchema = z.number().refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
  message: "is not a retention period CloudWatch Logs accepts",
  params: { fix: `use one of ${LOG_RETENTION_DAYS.join(", ")}` },
});

const stringMap = z.record(z.string(), z.string());

const tierBase = {
  prefixLength: z.number().int(),
  availabilityZones: uniqueList(z.string()).optional(),
  cidrBlock: z.string().optional(),
  cidrs: stringMap.optional(),
};

const tierSchema = z.strictObject(tierBase);
const publicTierSchema = z.strictObject({ ...tierBase, mapPublicIpOnLaunch: z.boolean().optional() });
const trainingTierSchema = z.strictObject({ ...tierBase, natEgress: z.boolean().optional() });

export const flowLogsSchema = z.strictObject({
  destination: z.enum(["cloudWatchLogs", "s3", "none"]).default("cloudWatchLogs"),
  maxAggregationIntervalSeconds: z
    .number()
    .refine((v) => v === 60 || v === 600, {
      message: "must be 60 or 600 seconds (the only intervals VPC flow logs support)",
      params: { fix: "use 60 for near-real-time investigation or 600 (default) for lower volume" },
    })
    .default(600),
  retentionDays: retentionDaysSchema.default(90),
  kmsKeyArn: z.string().optional(),
  logGroupName: z.string().optional(),
  s3BucketArn: z.string().optional(),
  s3FileFormat: z.enum(["plain-text", "parquet"]).default("parquet"),
  logFormat: z.string().optional(),
});

export const mlVpcPropsSchema = z.strictObject({
  name: z.string().refine((v) => /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/.test(v), {
    message: "must be 2-40 lower-case letters, digits or hyphens, starting with a letter",
    params: { fix: 'use a short slug such as "ml-prod"; it prefixes every Name tag' },
  }),
  cidr: z.string(),
  secondaryCidrs: uniqueList(z.string()).default([]),
  region: z.string().optional(),
  availabilityZones: z.array(z.string()).refine((v) => v.length > 0, {
    message: "lists no availability zone",
    params: { fix: 'list at least one AZ, e.g. ["us-east-1a", "us-east-1b"]; two or more for production' },
  }),
  azSlots: z
    .number()
    .refine((v) => (AZ_SLOT_CHOICES as readonly number[]).includes(v), {
      message: "must be a power of two between 1 and 16",
      params: { fix: "use 4 (default, AZ letters a-d) or 8 (letters a-h, e.g. us-east-1e/f)" },
    })
    .default(4),
  tiers: z.strictObject({
    public: publicTierSchema.optional(),
    private: tierSchema.optional(),
    isolated: tierSchema.optional(),
    training: trainingTierSchema.optional(),
  }),
  nat: z.enum(NAT_MODES).default("none"),
  defaultNetworkAcl: z.enum(DEFAULT_NETWORK_ACL_MODES).default("baseline"),
  flowLogs: flowLogsSchema.prefault({}),
  tags: stringMap.default({}),
});

export type ResolvedMlVpcProps = z.output<typeof mlVpcPropsSchema>;
export type ResolvedTier = z.output<typeof tierSchema> & { mapPublicIpOnLaunch?: boolean; natEgress?: boolean };

// Compile-time guard: the documented interfaces and the schemas accept exactly the same input.
const propsMatchSchema: Exact<z.input<typeof mlVpcPropsSchema>, MlVpcProps> = true;
const flowLogsMatchSchema: Exact<z.input<typeof flowLogsSchema>, FlowLogsProps> = true;
void propsMatchSchema;
void flowLogsMatchSchema;
