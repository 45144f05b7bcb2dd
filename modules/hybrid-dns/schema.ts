/** Shape of HybridDns props, with documented defaults. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { subnetTierSchema } from "../network/schema";
import type { Exact } from "../core/types";
import type { HybridDnsConfig } from "./index";

/** The standard DNS port. */
export const DNS_PORT = 53;

export const hybridDnsConfigSchema = z.strictObject({
  tier: subnetTierSchema.default("private"),
  availabilityZones: uniqueList(z.string()).optional(),
  inbound: z
    .strictObject({
      enabled: z.boolean().default(true),
      ipAddresses: z.record(z.string(), z.string()).optional(),
    })
    .prefault({}),
  forwardRules: z
    .record(
      z.string(),
      z.strictObject({
        domain: z.string(),
        targets: z.array(z.strictObject({ ip: z.string(), port: z.number().default(DNS_PORT) })),
      }),
    )
    .default({}),
  privateZone: z
    .strictObject({
      name: z.string(),
      records: z
        .record(
          z.string(),
          z.strictObject({
            type: z.enum(["A", "CNAME"]),
            values: z.array(z.string()),
            ttl: z.number().default(300),
          }),
        )
        .default({}),
    })
    .optional(),
});

export type ResolvedHybridDnsConfig = z.output<typeof hybridDnsConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof hybridDnsConfigSchema>, HybridDnsConfig> = true;
void configMatchesSchema;
