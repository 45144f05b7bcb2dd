/** Shape of PartnerEndpoints props (zod), with documented defaults. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { subnetTierSchema } from "../network/schema";
import type { Exact } from "../core/types";
import type { PartnerEndpointsConfig } from "./index";

const portSpec = z.union([z.number(), z.strictObject({ from: z.number(), to: z.number() })]);

export const partnerEndpointSchema = z.strictObject({
  serviceName: z.string(),
  purpose: z.string(),
  ports: uniqueList(portSpec),
  callers: uniqueList(z.string()),
  privateDns: z.boolean().default(false),
  tier: subnetTierSchema.default("private"),
  availabilityZones: uniqueList(z.string()).optional(),
});

export const partnerEndpointsConfigSchema = z.strictObject({
  partners: z.record(z.string(), partnerEndpointSchema),
});

export type ResolvedPartnerEndpointsConfig = z.output<typeof partnerEndpointsConfigSchema>;
export type ResolvedPartnerEndpoint = z.output<typeof partnerEndpointSchema>;

const configMatchesSchema: Exact<z.input<typeof partnerEndpointsConfigSchema>, PartnerEndpointsConfig> = true;
void configMatchesSchema;
