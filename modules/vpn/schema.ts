/** Shape of SiteToSiteVpn props, with documented defaults. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { retentionDaysSchema, subnetTierSchema } from "../network/schema";
import type { Exact } from "../core/types";
import type { SiteToSiteVpnConfig } from "./index";

export const vpnConfigSchema = z.strictObject({
  amazonSideAsn: z.number().default(64512),
  routing: z.enum(["dynamic", "static"]).default("dynamic"),
  customerGateways: z.record(
    z.string(),
    z.strictObject({
      ipAddress: z.string(),
      bgpAsn: z.number().optional(),
      deviceName: z.string().optional(),
      tunnelInsideCidrs: z.array(z.string()).max(2, { message: "a VPN connection has two tunnels" }).optional(),
      staticRoutes: uniqueList(z.string()).optional(),
    }),
  ),
  propagateToTiers: uniqueList(subnetTierSchema).optional(),
  presharedKeyStorage: z.enum(["SecretsManager", "Standard"]).default("SecretsManager"),
  logs: z
    .strictObject({
      retentionDays: retentionDaysSchema.default(90),
      kmsKeyArn: z.string().optional(),
    })
    .prefault({}),
});

export type ResolvedVpnConfig = z.output<typeof vpnConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof vpnConfigSchema>, SiteToSiteVpnConfig> = true;
void configMatchesSchema;
