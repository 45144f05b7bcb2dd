/** Shape of DirectConnectGateway props, with documented defaults. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { subnetTierSchema } from "../network/schema";
import type { Exact } from "../core/types";
import type { DirectConnectGatewayConfig } from "./index";

/**
 * The Amazon-side ASN AWS gives a new Direct Connect gateway when none is set
 * (Direct Connect API Reference, CreateDirectConnectGateway, amazonSideAsn:
 * "The default is 64512", docs.aws.amazon.com/directconnect/latest/APIReference/API_CreateDirectConnectGateway.html).
 */
export const DEFAULT_DX_GATEWAY_ASN = 64512;

const newGatewaySchema = z.strictObject({
  name: z.string().optional(),
  amazonSideAsn: z.number().default(DEFAULT_DX_GATEWAY_ASN),
});

export const directConnectGatewayConfigSchema = z.strictObject({
  gateway: z.union([z.strictObject({ create: newGatewaySchema }), z.strictObject({ existingId: z.string() })]).prefault({ create: {} }),
  allowedPrefixes: uniqueList(z.string()).optional(),
  propagateToTiers: uniqueList(subnetTierSchema).default([]),
});

export type ResolvedDirectConnectGatewayConfig = z.output<typeof directConnectGatewayConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof directConnectGatewayConfigSchema>, DirectConnectGatewayConfig> = true;
void configMatchesSchema;
