/**
 * DirectConnectGateway: the AWS side of a Direct Connect path into the VPC.
 *
 * A Direct Connect gateway (new, or an existing one by id) associated with
 * the VPC's virtual private gateway, allowing the VPC CIDRs towards
 * on-premises. The physical connection (dedicated or hosted) and the private
 * virtual interface stay outside: the user attaches the interface to this
 * gateway after deploying (docs/modules/direct-connect.md).
 *
 * A site-to-site VPN on the same virtual private gateway stays the backup
 * path: for the same prefix the gateway prefers BGP routes learned from
 * Direct Connect over the VPN's static and BGP routes ("Route tables and AWS
 * Site-to-Site VPN route priority", docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html;
 * "How route priority works", docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html).
 */
import { Construct } from "constructs";
import { DxGateway } from "@cdktf/provider-aws/lib/dx-gateway";
import { DxGatewayAssociation } from "@cdktf/provider-aws/lib/dx-gateway-association";
import { VpnGatewayRoutePropagation } from "@cdktf/provider-aws/lib/vpn-gateway-route-propagation";
import { ConfigError, resolveProps } from "../core/errors";
import { assertNetwork, selectSubnets, type IMlNetwork, type SubnetTier } from "../network";
import { directConnectGatewayConfigSchema, type ResolvedDirectConnectGatewayConfig } from "./schema";
import { allowedPrefixesOf, dxGatewayName, gatewayChoice, validateDirectConnectGateway, virtualPrivateGatewayIdIssues } from "./validate";

export { directConnectGatewayConfigSchema, DEFAULT_DX_GATEWAY_ASN, type ResolvedDirectConnectGatewayConfig } from "./schema";
export {
  validateDirectConnectGateway,
  virtualPrivateGatewayIdIssues,
  gatewayChoice,
  allowedPrefixesOf,
  dxGatewayName,
  DX_GATEWAY_ID,
  VGW_ID,
  MAX_ALLOWED_PREFIXES,
} from "./validate";

/** A Direct Connect gateway this construct creates. */
export interface NewDirectConnectGatewayConfig {
  /** Gateway name: up to 100 letters, digits and hyphens. @default - "<network name>-dx" */
  readonly name?: string;
  /**
   * BGP ASN of the Amazon side, private (64512-65534 or 4200000000-4294967294).
   * Your router's BGP session on the virtual interface peers with this ASN.
   * Changing it replaces the gateway.
   * @default 64512
   */
  readonly amazonSideAsn?: number;
}

/** Everything an environment configures: the gateway, the allowed prefixes, the tiers that learn routes. */
export interface DirectConnectGatewayConfig {
  /**
   * A new gateway (`{ create: { name, amazonSideAsn } }`) or an existing one
   * in this account (`{ existingId: "<uuid>" }`), for example one shared by
   * several VPCs.
   * @default { create: {} }
   */
  readonly gateway?: { readonly create: NewDirectConnectGatewayConfig } | { readonly existingId: string };
  /**
   * VPC prefixes the association lets through to on-premises. Each must be a
   * VPC CIDR or wider, and together they must hold every VPC CIDR: the
   * gateway advertises whole VPC CIDRs, and a narrower prefix lets nothing
   * through.
   * @default - the VPC CIDRs (network.vpcCidrs)
   */
  readonly allowedPrefixes?: string[];
  /**
   * Tiers whose route tables learn on-premises routes from the virtual
   * private gateway (created after the association). Leave empty when the
   * gateway comes from SiteToSiteVpn: its propagation already covers routes
   * learned over Direct Connect, and a second propagation of the same table
   * would be a duplicate.
   * @default []
   */
  readonly propagateToTiers?: SubnetTier[];
}

export interface DirectConnectGatewayProps extends DirectConnectGatewayConfig {
  readonly network: IMlNetwork;
  /** The virtual private gateway attached to the VPC: SiteToSiteVpn's `vpnGateway.id`, or an existing `vgw-` id. */
  readonly virtualPrivateGatewayId: string;
}

export class DirectConnectGateway extends Construct {
  /** The gateway, when this construct creates it. */
  readonly gateway?: DxGateway;
  /** The gateway's id: the new gateway's, or the existing one's. */
  readonly gatewayId: string;
  readonly association: DxGatewayAssociation;
  /** Route propagations by route table name (propagateToTiers). */
  readonly propagations: Readonly<Record<string, VpnGatewayRoutePropagation>>;
  /** What the association allows: allowedPrefixes, or the VPC CIDRs. */
  readonly allowedPrefixes: readonly string[];
  readonly config: ResolvedDirectConnectGatewayConfig;

  constructor(scope: Construct, id: string, props: DirectConnectGatewayProps) {
    super(scope, id);
    const { network, virtualPrivateGatewayId, ...rest } = props;
    assertNetwork(network, `DirectConnectGateway "${this.node.path}"`);
    const choice = gatewayChoice(rest.gateway);
    const input = choice.issues.length > 0 ? { ...rest, gateway: choice.gateway } : rest;
    let cfg: ResolvedDirectConnectGatewayConfig;
    try {
      cfg = resolveProps("DirectConnectGateway", this.node.path, directConnectGatewayConfigSchema, input, (c) => [
        ...choice.issues,
        ...validateDirectConnectGateway(c, network.vpcCidrs, network.name, selectSubnets(network).tiers),
        ...virtualPrivateGatewayIdIssues(virtualPrivateGatewayId),
      ]);
    } catch (err) {
      // Every problem at once: the gateway choice with whatever else the schema rejected.
      if (choice.issues.length > 0 && ConfigError.isConfigError(err) && !err.issues.includes(choice.issues[0]))
        throw new ConfigError(err.scope, [...choice.issues, ...err.issues]);
      throw err;
    }
    this.config = cfg;

    // The provider (hashicorp/aws 6.25) gives aws_dx_gateway and aws_dx_gateway_association no tags argument.
    if ("create" in cfg.gateway) {
      this.gateway = new DxGateway(this, "gateway", {
        name: dxGatewayName(cfg, network.name)!,
        amazonSideAsn: String(cfg.gateway.create.amazonSideAsn),
      });
      this.gatewayId = this.gateway.id;
    } else {
      this.gatewayId = cfg.gateway.existingId;
    }

    this.allowedPrefixes = allowedPrefixesOf(cfg, network.vpcCidrs);
    // "The virtual private gateway must be attached to a VPC and must not be associated with another Direct Connect
    // gateway" (Direct Connect API Reference, CreateDirectConnectGatewayAssociation,
    // docs.aws.amazon.com/directconnect/latest/APIReference/API_CreateDirectConnectGatewayAssociation.html).
    // allowed_prefixes changes in place (UpdateDirectConnectGatewayAssociation adds and removes prefixes); a new
    // dx_gateway_id or associated_gateway_id replaces the association (hashicorp/terraform-provider-aws,
    // internal/service/directconnect/gateway_association.go).
    this.association = new DxGatewayAssociation(this, "association", {
      dxGatewayId: this.gatewayId,
      associatedGatewayId: virtualPrivateGatewayId,
      allowedPrefixes: [...this.allowedPrefixes],
    });

    // Propagation is turned on after the association exists: a conservative order (no AWS page found states it as a
    // requirement), harmless when the tables already propagate from the same gateway for a VPN.
    const propagations: Record<string, VpnGatewayRoutePropagation> = {};
    for (const table of selectSubnets(network, { tiers: cfg.propagateToTiers }).routeTables) {
      propagations[table.name] = new VpnGatewayRoutePropagation(this, `propagation-${table.name}`, {
        vpnGatewayId: virtualPrivateGatewayId,
        routeTableId: table.id,
        dependsOn: [this.association],
      });
    }
    this.propagations = propagations;
  }
}
