/**
 * SiteToSiteVpn: the whole hybrid path, not just the customer gateway.
 *
 * A virtual private gateway attached to the VPC; one customer gateway and one
 * VPN connection (two tunnels) per on-premises device, keyed by name; BGP by
 * default with route propagation into the private and training route tables, or static
 * routes; hardened tunnels (IKEv2, AES-256, SHA-2, DH 14-21, dead-peer restart)
 * whose pre-shared keys AWS generates and keeps in Secrets Manager; tunnel
 * logs to an encrypted CloudWatch Logs group per connection.
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CustomerGateway } from "@cdktf/provider-aws/lib/customer-gateway";
import { VpnConnection, type VpnConnectionConfig } from "@cdktf/provider-aws/lib/vpn-connection";
import { VpnConnectionRoute } from "@cdktf/provider-aws/lib/vpn-connection-route";
import { VpnGateway } from "@cdktf/provider-aws/lib/vpn-gateway";
import { VpnGatewayRoutePropagation } from "@cdktf/provider-aws/lib/vpn-gateway-route-propagation";
import { resolveProps } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { LogGroupKey } from "../core/log-key";
import { cidrId, named } from "../core/tags";
import { TUNNEL_CRYPTO } from "../core/tunnel-crypto";
import { assertNetwork, DEFAULT_ON_PREMISES_TIERS, selectSubnets, type IMlNetwork, type SubnetTier } from "../network";
import { vpnConfigSchema, type ResolvedVpnConfig } from "./schema";
import { validateVpn } from "./validate";

export { vpnConfigSchema, type ResolvedVpnConfig } from "./schema";
export { validateVpn, isPrivateAsn, customerGatewayIpProblem, insideCidrProblem, RESERVED_INSIDE_CIDRS, PRIVATE_ASN_RANGES } from "./validate";

/** One on-premises VPN device. */
export interface CustomerGatewayConfig {
  /** The device's public IPv4 address. */
  readonly ipAddress: string;
  /**
   * The device's BGP ASN (private range). Required for dynamic routing; with
   * static routing AWS still records an ASN on the customer gateway, unused.
   * 32-bit ASNs are written as `bgp_asn_extended`.
   * @default - none with dynamic routing (required); 65000 with static routing
   */
  readonly bgpAsn?: number;
  /** Device name, shown in the console and the downloaded configuration. @default - none */
  readonly deviceName?: string;
  /** Inside CIDRs for tunnel 1 and 2: /30s in 169.254.0.0/16, not AWS-reserved. @default - AWS picks them */
  readonly tunnelInsideCidrs?: string[];
  /** Static routing only: on-premises CIDRs behind this device. @default - the onPremisesCidrs */
  readonly staticRoutes?: string[];
}

/** Everything but the network and the on-premises ranges: what an environment configures. */
export interface SiteToSiteVpnConfig {
  /** BGP ASN of the Amazon side (private range). @default 64512 */
  readonly amazonSideAsn?: number;
  /** `dynamic` (BGP) or `static`. @default "dynamic" */
  readonly routing?: "dynamic" | "static";
  /** On-premises devices by name; one VPN connection each. */
  readonly customerGateways: Record<string, CustomerGatewayConfig>;
  /**
   * Tiers whose route tables learn on-premises routes. The default
   * (DEFAULT_ON_PREMISES_TIERS) lists the tiers whose NACLs admit on-premises
   * ranges by default; keep the two lists equal, or routes lead traffic into
   * a NACL that drops it. An environment derives it from
   * networkAcls.onPremisesTiers.
   * @default ["private", "training"]
   */
  readonly propagateToTiers?: SubnetTier[];
  /** Where AWS keeps the generated pre-shared keys; Secrets Manager keeps them out of Terraform state. @default "SecretsManager" */
  readonly presharedKeyStorage?: "SecretsManager" | "Standard";
  /** Tunnel logs, one encrypted CloudWatch Logs group per connection. @default {} */
  readonly logs?: {
    /** Retention in days, one of the values CloudWatch Logs accepts. @default 90 */
    readonly retentionDays?: number;
    /** KMS key for the log groups. @default - a new KMS key with rotation on, usable by CloudWatch Logs for these groups only */
    readonly kmsKeyArn?: string;
  };
}

export interface SiteToSiteVpnProps extends SiteToSiteVpnConfig {
  readonly network: IMlNetwork;
  /** On-premises ranges: the default static routes, and checked against the VPC. @default - none */
  readonly onPremisesCidrs?: string[];
  /** Extra tags on every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/** Tunnel hardening applied to both tunnels of every connection: the shared proposals, and dead-peer restart. */
export const TUNNEL_HARDENING = {
  ...TUNNEL_CRYPTO,
  dpdTimeoutAction: "restart",
  dpdTimeoutSeconds: 30,
} as const;

export class SiteToSiteVpn extends Construct {
  readonly vpnGateway: VpnGateway;
  readonly customerGateways: Readonly<Record<string, CustomerGateway>>;
  readonly connections: Readonly<Record<string, VpnConnection>>;
  readonly logGroups: Readonly<Record<string, CloudwatchLogGroup>>;
  readonly config: ResolvedVpnConfig;

  constructor(scope: Construct, id: string, props: SiteToSiteVpnProps) {
    super(scope, id);
    const { network, onPremisesCidrs = [], tags: extraTags, ...rest } = props;
    assertNetwork(network, `SiteToSiteVpn "${this.node.path}"`);
    const cfg = resolveProps("SiteToSiteVpn", this.node.path, vpnConfigSchema, rest, (c) => [
      ...validateVpn(c, network.vpcCidrs, onPremisesCidrs, network.name),
      ...tagIssues(extraTags, "tags", ["Name"]),
    ]);
    this.config = cfg;
    const tags = extraTags ?? {};
    const n = (suffix: string) => named(`${network.name}-${suffix}`, tags);

    this.vpnGateway = new VpnGateway(this, "vgw", {
      vpcId: network.vpcId,
      amazonSideAsn: String(cfg.amazonSideAsn),
      tags: n("vgw"),
    });

    // Propagation: route tables learn on-premises routes (BGP or static) from the gateway. The isolated
    // tier is left out by default: its NACL admits only the VPC, so learned routes would lead nowhere.
    const tiers = cfg.propagateToTiers ?? DEFAULT_ON_PREMISES_TIERS;
    const vgwId = this.vpnGateway.id;
    for (const table of selectSubnets(network, { tiers }).routeTables) {
      new VpnGatewayRoutePropagation(this, `propagation-${table.name}`, { vpnGatewayId: vgwId, routeTableId: table.id });
    }

    const logPrefix = `/ml-network/${network.name}/vpn`;
    const kmsKeyArn =
      cfg.logs.kmsKeyArn ??
      new LogGroupKey(this, "log-key", {
        purpose: `the VPN tunnel logs of ${network.name}`,
        logGroupPattern: `${logPrefix}/*`,
        alias: `alias/${network.name}/vpn-logs`,
        name: `${network.name}-vpn-logs`,
        tags,
      }).arn;

    const customerGateways: Record<string, CustomerGateway> = {};
    const connections: Record<string, VpnConnection> = {};
    const logGroups: Record<string, CloudwatchLogGroup> = {};
    for (const [name, gw] of Object.entries(cfg.customerGateways)) {
      // bgp_asn takes 1-2147483647; larger (32-bit private) ASNs go in bgp_asn_extended.
      const asn = gw.bgpAsn ?? 65000;
      customerGateways[name] = new CustomerGateway(this, `cgw-${name}`, {
        type: "ipsec.1",
        ipAddress: gw.ipAddress,
        ...(asn > 2147483647 ? { bgpAsnExtended: String(asn) } : { bgpAsn: String(asn) }),
        deviceName: gw.deviceName,
        tags: n(`cgw-${name}`),
      });
      const logGroup = new CloudwatchLogGroup(this, `logs-${name}`, {
        name: `${logPrefix}/${name}`,
        retentionInDays: cfg.logs.retentionDays,
        kmsKeyId: kmsKeyArn,
        tags: n(`vpn-${name}-logs`),
      });
      logGroups[name] = logGroup;
      // The same hardened options on both tunnels: tunnel1Xyz and tunnel2Xyz.
      const tunnel = (i: 1 | 2): Partial<VpnConnectionConfig> => {
        const h = TUNNEL_HARDENING;
        const options = {
          IkeVersions: [...h.ikeVersions],
          Phase1EncryptionAlgorithms: [...h.encryption],
          Phase2EncryptionAlgorithms: [...h.encryption],
          Phase1IntegrityAlgorithms: [...h.integrity],
          Phase2IntegrityAlgorithms: [...h.integrity],
          Phase1DhGroupNumbers: [...h.dhGroups],
          Phase2DhGroupNumbers: [...h.dhGroups],
          DpdTimeoutAction: h.dpdTimeoutAction,
          DpdTimeoutSeconds: h.dpdTimeoutSeconds,
          InsideCidr: gw.tunnelInsideCidrs?.[i - 1],
          LogOptions: { cloudwatchLogOptions: { logEnabled: true, logGroupArn: logGroup.arn, logOutputFormat: "json" } },
        };
        return Object.fromEntries(Object.entries(options).map(([key, value]) => [`tunnel${i}${key}`, value]));
      };
      const connection = new VpnConnection(this, `vpn-${name}`, {
        type: "ipsec.1",
        vpnGatewayId: vgwId,
        customerGatewayId: customerGateways[name].id,
        staticRoutesOnly: cfg.routing === "static",
        // No preshared key is set: AWS generates strong keys; SecretsManager storage keeps them out of Terraform state.
        presharedKeyStorage: cfg.presharedKeyStorage,
        ...tunnel(1),
        ...tunnel(2),
        tags: n(`vpn-${name}`),
      });
      connections[name] = connection;
      if (cfg.routing === "static") {
        for (const route of gw.staticRoutes ?? onPremisesCidrs) {
          new VpnConnectionRoute(this, `route-${name}-${cidrId(route)}`, { vpnConnectionId: connection.id, destinationCidrBlock: route });
        }
      }
    }
    this.customerGateways = customerGateways;
    this.connections = connections;
    this.logGroups = logGroups;
  }
}
