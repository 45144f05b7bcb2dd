/**
 * Monthly cost estimate of a synthesized network, itemized per resource, from
 * a dated list-price table and a usage profile with documented defaults. It
 * prices what the network itself costs (NAT, endpoints, VPN, public IPv4,
 * logs, KMS keys, Resolver endpoints and hosted zones, load balancers, Direct
 * Connect data) and the EFA nodes at their desired count; not data stores,
 * notebooks or jobs, nor the Direct Connect port the user brings.
 */
import type { NetworkModel } from "./model";

export interface PriceList {
  /** When the prices were taken from the AWS pricing pages. */
  readonly date: string;
  readonly region: string;
  readonly currency: "USD";
  readonly natGatewayHour: number;
  readonly natGatewayGb: number;
  readonly interfaceEndpointAzHour: number;
  readonly interfaceEndpointGb: number;
  readonly gatewayEndpoint: number;
  readonly vpnConnectionHour: number;
  readonly publicIpv4Hour: number;
  /** CloudWatch Logs ingestion of vended logs (flow logs, VPN logs), first 10 TB. */
  readonly logsIngestionGb: number;
  readonly logsStorageGbMonth: number;
  readonly kmsKeyMonth: number;
  /** On-demand Linux instance prices per hour. */
  readonly instanceHour: Readonly<Record<string, number>>;
  /** Route 53 Resolver endpoint, per IP address (network interface) per hour. */
  readonly resolverIpHour: number;
  /** Route 53 Resolver queries through endpoints, per million (first billion a month). */
  readonly resolverQueryMillion: number;
  /** Route 53 hosted zone per month (first 25 zones). */
  readonly hostedZoneMonth: number;
  /** Application Load Balancer hour and LCU-hour. */
  readonly albHour: number;
  readonly albLcuHour: number;
  /** Network Load Balancer hour and NLCU-hour. */
  readonly nlbHour: number;
  readonly nlbNlcuHour: number;
  /** Direct Connect data transfer out of the region to the on-premises location, per GB (transfer in is free). */
  readonly dxDataOutGb: number;
}

/**
 * Prices that only the us-east-1 table states: regional tables inherit them,
 * and an estimate that uses one in another region says so in its warnings.
 */
const US_EAST_1_ONLY: readonly (keyof PriceList)[] = [
  "resolverIpHour",
  "resolverQueryMillion",
  "albHour",
  "albLcuHour",
  "nlbHour",
  "nlbNlcuHour",
  "dxDataOutGb",
];

/**
 * AWS list prices, us-east-1, On-Demand. Network prices: Amazon VPC pricing
 * (NAT gateway, public IPv4 since 2024-02-01), AWS PrivateLink pricing, AWS
 * Site-to-Site VPN pricing, Amazon CloudWatch pricing (vended logs), AWS KMS
 * pricing. GPU instance prices after the June 2025 EC2 price reduction for
 * P4 and P5; verify on the EC2 On-Demand pricing page before quoting them.
 *
 * The instance prices added with the regional tables (p4de, p5en, trn1,
 * trn1n, g6e) are On-Demand Linux prices of the AWS Price List as published
 * on instances.vantage.sh/aws/ec2/<type> (snapshot of 2026-08-26; p5en
 * 2025-12-21). That snapshot lists the three prices above unchanged
 * (p5.48xlarge 55.04, p4d.24xlarge 21.957642, g5.48xlarge 16.288), so it is
 * the same price list as this table's date.
 */
export const US_EAST_1_PRICES: PriceList = {
  date: "2025-07-01",
  region: "us-east-1",
  currency: "USD",
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  interfaceEndpointAzHour: 0.01,
  interfaceEndpointGb: 0.01,
  gatewayEndpoint: 0,
  vpnConnectionHour: 0.05,
  publicIpv4Hour: 0.005,
  logsIngestionGb: 0.5,
  logsStorageGbMonth: 0.03,
  kmsKeyMonth: 1,
  // Route 53: $0.125 per endpoint IP address (ENI) per hour, $0.40 per million queries up to a billion, $0.50 per hosted zone
  // for the first 25 ("Amazon Route 53 pricing", aws.amazon.com/route53/pricing; AWS Knowledge Center "How do I optimize
  // costs for Route 53 Resolver endpoints?").
  resolverIpHour: 0.125,
  resolverQueryMillion: 0.4,
  hostedZoneMonth: 0.5,
  // Elastic Load Balancing, US East (N. Virginia): ALB $0.0225/hour and $0.008/LCU-hour, NLB $0.0225/hour and
  // $0.006/NLCU-hour ("Elastic Load Balancing pricing", aws.amazon.com/elasticloadbalancing/pricing).
  albHour: 0.0225,
  albLcuHour: 0.008,
  nlbHour: 0.0225,
  nlbNlcuHour: 0.006,
  // Direct Connect data transfer out from US East to a North American location: $0.02/GB; the gateway is free and the
  // port belongs to the connection the user brings ("AWS Direct Connect pricing", aws.amazon.com/directconnect/pricing).
  dxDataOutGb: 0.02,
  instanceHour: {
    "p5.48xlarge": 55.04,
    "p4d.24xlarge": 21.96,
    "g5.48xlarge": 16.288,
    "p4de.24xlarge": 27.44705,
    "p5en.48xlarge": 63.296,
    "trn1.32xlarge": 21.5,
    "trn1n.32xlarge": 24.78,
    "g6e.48xlarge": 30.13118,
  },
};

/**
 * The regions with a price table of their own, as overrides of us-east-1.
 * Network prices not listed are the same as in us-east-1 (public IPv4, KMS,
 * gateway endpoints and interface-endpoint data are priced alike in these
 * regions). Instance prices are never inherited: `instanceHour` lists the
 * region's own On-Demand Linux prices, and a type missing from it (not
 * offered there, or no price found: p5.48xlarge and p5en.48xlarge in the two
 * EU regions, trn1 and trn1n outside the US) is priced as us-east-1 with a
 * warning. Source of the instance prices: the AWS Price List as published on
 * instances.vantage.sh/aws/ec2/<type> (snapshot of 2026-08-26; p5en
 * 2025-12-21). No source gave a price for p5e.48xlarge or trn2.48xlarge
 * (listed there as preview, without prices), so they have none anywhere.
 */
export const REGION_PRICE_OVERRIDES: Readonly<Record<string, Partial<PriceList>>> = {
  "us-west-2": {
    region: "us-west-2",
    // The same list prices as us-east-1 for every type of the table (p4d.24xlarge 21.95764, written rounded as there).
    instanceHour: { ...US_EAST_1_PRICES.instanceHour },
  },
  "eu-west-1": {
    region: "eu-west-1",
    natGatewayHour: 0.048,
    natGatewayGb: 0.048,
    interfaceEndpointAzHour: 0.011,
    vpnConnectionHour: 0.05,
    logsIngestionGb: 0.57,
    instanceHour: { "p4d.24xlarge": 23.71569, "g5.48xlarge": 18.18233 },
  },
  "eu-central-1": {
    region: "eu-central-1",
    natGatewayHour: 0.052,
    natGatewayGb: 0.052,
    interfaceEndpointAzHour: 0.012,
    logsIngestionGb: 0.63,
    instanceHour: { "p4d.24xlarge": 27.43298, "p4de.24xlarge": 34.29122, "g5.48xlarge": 20.3681, "g6e.48xlarge": 37.67612 },
  },
  "ap-northeast-1": {
    region: "ap-northeast-1",
    natGatewayHour: 0.062,
    natGatewayGb: 0.062,
    interfaceEndpointAzHour: 0.014,
    vpnConnectionHour: 0.048,
    logsIngestionGb: 0.76,
    instanceHour: {
      "p5.48xlarge": 68.8,
      "p4d.24xlarge": 30.09784,
      "g5.48xlarge": 23.62246,
      "p4de.24xlarge": 37.6223,
      "p5en.48xlarge": 79.12,
      "g6e.48xlarge": 43.69912,
    },
  },
};

/** The regions that have a price table: us-east-1 and those of REGION_PRICE_OVERRIDES. */
export const PRICED_REGIONS: readonly string[] = [US_EAST_1_PRICES.region, ...Object.keys(REGION_PRICE_OVERRIDES)];

/**
 * The price table of a region: its own when it has one, else us-east-1's.
 * `region` of the result is always the table's region, never a region the
 * table does not belong to; compare it with the region asked for (or use
 * `estimateCost`, which says so in its label and warnings). A regional
 * table holds only that region's instance prices.
 */
export function pricesFor(region: string | undefined): PriceList {
  const over = region === undefined ? undefined : REGION_PRICE_OVERRIDES[region];
  if (region === undefined || over === undefined) return US_EAST_1_PRICES;
  return { ...US_EAST_1_PRICES, instanceHour: {}, ...over, region };
}

/** What the network carries each month. Every field has a documented default. */
export interface Usage {
  /** Hours in a month. Default 730. */
  readonly hoursPerMonth: number;
  /** GB through NAT gateways to the internet (packages, model hubs), all NATs together. Default 100. */
  readonly natInternetGb: number;
  /** GB between private compute and S3. Through the gateway endpoint when there is one, else through NAT. Default 1000. */
  readonly s3Gb: number;
  /** GB to DynamoDB, same rule as S3. Default 20. */
  readonly dynamodbGb: number;
  /** GB through interface endpoints, all together. Default 50. */
  readonly interfaceEndpointGb: number;
  /** GB of flow logs ingested per VPC. Default 30. */
  readonly flowLogGb: number;
  /** GB of VPN tunnel logs per connection. Default 0.5. */
  readonly vpnLogGb: number;
  /** Node-hours per EFA cluster; default: desired count x hoursPerMonth. */
  readonly efaNodeHours?: Readonly<Record<string, number>>;
  /** Million DNS queries through Resolver endpoints, all together. Default 10. */
  readonly resolverQueriesMillion: number;
  /** Average capacity units (LCU or NLCU) per load balancer. Default 1. */
  readonly loadBalancerCapacityUnits: number;
  /** GB out to on-premises over Direct Connect (results, checkpoints). Default 500. */
  readonly directConnectOutGb: number;
}

export const DEFAULT_USAGE: Usage = {
  hoursPerMonth: 730,
  natInternetGb: 100,
  s3Gb: 1000,
  dynamodbGb: 20,
  interfaceEndpointGb: 50,
  flowLogGb: 30,
  vpnLogGb: 0.5,
  resolverQueriesMillion: 10,
  loadBalancerCapacityUnits: 1,
  directConnectOutGb: 500,
};

export interface CostItem {
  readonly category:
    | "NAT gateway"
    | "Interface endpoint"
    | "Gateway endpoint"
    | "VPN"
    | "Public IPv4"
    | "CloudWatch Logs"
    | "KMS"
    | "EFA nodes"
    | "Data through NAT"
    | "DNS"
    | "Load balancer"
    | "Direct Connect";
  readonly resource: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  readonly monthly: number;
  readonly note?: string;
}

export interface CostReport {
  readonly prices: {
    readonly date: string;
    /** The region of the price table that priced the network. */
    readonly region: string;
    readonly currency: string;
    /** The region of the network (the provider's), when the JSON names one. */
    readonly networkRegion?: string;
    /** Which table priced it: `prices: us-east-1 (2025-07-01)`, or `priced as us-east-1: no price table for ap-south-1`. */
    readonly label: string;
  };
  /**
   * What makes the estimate less exact than the label says: a region priced
   * with another region's table, EFA instance types priced as us-east-1 or
   * not priced at all. Empty when every item is priced from its region's table.
   */
  readonly warnings: readonly string[];
  readonly usage: Usage;
  readonly items: CostItem[];
  readonly byCategory: Record<string, number>;
  readonly total: number;
  /** What the gateway endpoints save over sending the same S3 and DynamoDB traffic through NAT, in total and per service. */
  readonly gatewayEndpointSavings: {
    readonly gb: number;
    readonly monthly: number;
    readonly byService: Readonly<Partial<Record<"s3" | "dynamodb", { readonly gb: number; readonly monthly: number }>>>;
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Which table prices a network in `networkRegion`, and what to warn about when it is not that region's own. */
function describePrices(networkRegion: string | undefined, prices: PriceList, given: boolean): { label: string; warnings: string[] } {
  if (networkRegion === prices.region) return { label: `prices: ${prices.region} (${prices.date})`, warnings: [] };
  const label =
    networkRegion === undefined
      ? `priced as ${prices.region}: the JSON names no region`
      : given
        ? `priced as ${prices.region}: the network is in ${networkRegion}`
        : `priced as ${prices.region}: no price table for ${networkRegion}`;
  const hint = given ? "" : `; regions with a price table: ${PRICED_REGIONS.join(", ")}`;
  return { label, warnings: [`${label} (${prices.region} prices of ${prices.date})${hint}`] };
}

/**
 * The EFA nodes of each auto scaling group, at the region's On-Demand price.
 * A type the regional table lacks is priced as us-east-1, one no table has
 * is counted at $0; both are reported through `warn`.
 */
function efaItems(model: NetworkModel, usage: Usage, prices: PriceList, warn: (warning: string) => void): Omit<CostItem, "monthly">[] {
  const items: Omit<CostItem, "monthly">[] = [];
  for (const asg of model.autoScalingGroups) {
    const type = model.launchTemplates.find((t) => t.address === asg.launchTemplate)?.instanceType;
    if (!type) continue;
    const name = asg.name ?? asg.address;
    const base = {
      category: "EFA nodes",
      resource: asg.address,
      quantity: usage.efaNodeHours?.[name] ?? asg.desired * usage.hoursPerMonth,
      unit: "node-hour",
    } as const;
    const nodes = `${type}, ${asg.desired} desired (max ${asg.max})`;
    const own = prices.instanceHour[type];
    const fallback = US_EAST_1_PRICES.instanceHour[type];
    if (own !== undefined) {
      items.push({ ...base, unitPrice: own, note: nodes });
    } else if (fallback !== undefined && prices !== US_EAST_1_PRICES) {
      warn(`${type} priced as ${US_EAST_1_PRICES.region}: no price for it in the ${prices.region} table`);
      items.push({ ...base, unitPrice: fallback, note: `${nodes}; ${US_EAST_1_PRICES.region} price, none in the ${prices.region} table` });
    } else {
      warn(`${type} not priced: no price for it in the table (the nodes of ${name} count $0)`);
      items.push({ ...base, unitPrice: 0, note: `no price for ${type} in the table` });
    }
  }
  return items;
}

/**
 * Monthly cost of the network in `model`, priced from the table of the
 * model's region (`pricesFor`), or from `priceList` when given. The report's
 * `prices.label` says which table priced it; `warnings` says where that is
 * not the network's own region.
 */
export function estimateCost(model: NetworkModel, usageIn: Partial<Usage> = {}, priceList?: PriceList): CostReport {
  const prices = priceList ?? pricesFor(model.region);
  const described = describePrices(model.region, prices, priceList !== undefined);
  const usage: Usage = { ...DEFAULT_USAGE, ...usageIn };
  const h = usage.hoursPerMonth;
  const items: CostItem[] = [];
  const add = (item: Omit<CostItem, "monthly">) => items.push({ ...item, monthly: round(item.quantity * item.unitPrice) });

  for (const nat of model.natGateways) add({ category: "NAT gateway", resource: nat.address, quantity: h, unit: "hour", unitPrice: prices.natGatewayHour });
  const nats = model.natGateways.length;
  if (nats > 0 && usage.natInternetGb > 0)
    add({ category: "NAT gateway", resource: "internet traffic through NAT", quantity: usage.natInternetGb, unit: "GB", unitPrice: prices.natGatewayGb });

  // S3 and DynamoDB: free through a gateway endpoint, NAT processing otherwise (when NAT exists).
  let savedGb = 0;
  const byService: Partial<Record<"s3" | "dynamodb", { gb: number; monthly: number }>> = {};
  for (const [service, gb] of [
    ["s3", usage.s3Gb],
    ["dynamodb", usage.dynamodbGb],
  ] as const) {
    const gateway = model.endpoints.find((e) => e.type === "Gateway" && e.service === service);
    if (gateway) {
      add({
        category: "Gateway endpoint",
        resource: gateway.address,
        quantity: gb,
        unit: "GB",
        unitPrice: prices.gatewayEndpoint,
        note: `${service} traffic, free`,
      });
      savedGb += gb;
      byService[service] = { gb, monthly: round(gb * prices.natGatewayGb) };
    } else if (nats > 0 && gb > 0) {
      add({
        category: "Data through NAT",
        resource: `${service} traffic through NAT (no gateway endpoint)`,
        quantity: gb,
        unit: "GB",
        unitPrice: prices.natGatewayGb,
      });
    }
  }

  const interfaces = model.endpoints.filter((e) => e.type === "Interface");
  for (const e of interfaces) {
    const azs = Math.max(1, e.subnets.length);
    add({
      category: "Interface endpoint",
      resource: e.address,
      quantity: azs * h,
      unit: "AZ-hour",
      unitPrice: prices.interfaceEndpointAzHour,
      note: `${e.service} in ${azs} AZ${azs > 1 ? "s" : ""}`,
    });
  }
  if (interfaces.length > 0 && usage.interfaceEndpointGb > 0)
    add({
      category: "Interface endpoint",
      resource: "data processed by interface endpoints",
      quantity: usage.interfaceEndpointGb,
      unit: "GB",
      unitPrice: prices.interfaceEndpointGb,
    });

  for (const c of model.vpnConnections)
    add({ category: "VPN", resource: c.address, quantity: h, unit: "connection-hour", unitPrice: prices.vpnConnectionHour });
  for (const eip of model.eips) add({ category: "Public IPv4", resource: eip, quantity: h, unit: "IP-hour", unitPrice: prices.publicIpv4Hour });

  // Logs: ingestion, and storage at steady state (a month of ingest kept for the retention period, at most a year counted).
  for (const g of model.logGroups) {
    const isVpn = /vpn/.test(g.name);
    const gb = isVpn ? usage.vpnLogGb : usage.flowLogGb;
    add({ category: "CloudWatch Logs", resource: g.address, quantity: gb, unit: "GB ingested", unitPrice: prices.logsIngestionGb, note: g.name });
    const months = Math.min(12, (g.retentionDays ?? 365) / 30);
    add({
      category: "CloudWatch Logs",
      resource: `${g.address} storage`,
      quantity: round(gb * months),
      unit: "GB-month stored",
      unitPrice: prices.logsStorageGbMonth,
      note: `${g.retentionDays ?? "no"} days retention`,
    });
  }
  for (const k of model.kmsKeys) add({ category: "KMS", resource: k, quantity: 1, unit: "key-month", unitPrice: prices.kmsKeyMonth });

  const warnings = new Set(described.warnings);
  for (const item of efaItems(model, usage, prices, (w) => warnings.add(w))) add(item);
  const hybrid = hybridItems(model, usage, prices);
  for (const item of hybrid) add(item);
  const inherited = [...new Set(hybrid.map((i) => i.category))];
  if (inherited.length > 0 && prices.region !== US_EAST_1_PRICES.region && US_EAST_1_ONLY.every((k) => prices[k] === US_EAST_1_PRICES[k])) {
    warnings.add(`${inherited.join(", ")} priced with us-east-1 prices: the ${prices.region} table has none of its own`);
  }

  const byCategory: Record<string, number> = {};
  for (const i of items) byCategory[i.category] = round((byCategory[i.category] ?? 0) + i.monthly);
  return {
    prices: {
      date: prices.date,
      region: prices.region,
      currency: prices.currency,
      ...(model.region !== undefined ? { networkRegion: model.region } : {}),
      label: described.label,
    },
    warnings: [...warnings],
    usage,
    items,
    byCategory,
    total: round(items.reduce((sum, i) => sum + i.monthly, 0)),
    gatewayEndpointSavings: { gb: savedGb, monthly: round(savedGb * prices.natGatewayGb), byService },
  };
}

/** Resolver endpoints (per IP) and queries, private hosted zones, load balancers (hours and capacity units), Direct Connect data. */
function hybridItems(model: NetworkModel, usage: Usage, prices: PriceList): Omit<CostItem, "monthly">[] {
  const h = usage.hoursPerMonth;
  const items: Omit<CostItem, "monthly">[] = [];
  for (const e of model.resolverEndpoints) {
    const ips = Math.max(2, e.subnets.length);
    items.push({
      category: "DNS",
      resource: e.address,
      quantity: ips * h,
      unit: "IP-hour",
      unitPrice: prices.resolverIpHour,
      note: `${e.direction.toLowerCase()}, ${ips} IP addresses`,
    });
  }
  if (model.resolverEndpoints.length > 0 && usage.resolverQueriesMillion > 0)
    items.push({
      category: "DNS",
      resource: "queries through Resolver endpoints",
      quantity: usage.resolverQueriesMillion,
      unit: "million queries",
      unitPrice: prices.resolverQueryMillion,
    });
  for (const z of model.hostedZones)
    items.push({ category: "DNS", resource: z.address, quantity: 1, unit: "zone-month", unitPrice: prices.hostedZoneMonth, note: z.name });
  for (const lb of model.loadBalancers) {
    const nlb = lb.type === "network";
    items.push({
      category: "Load balancer",
      resource: lb.address,
      quantity: h,
      unit: "hour",
      unitPrice: nlb ? prices.nlbHour : prices.albHour,
      note: `${lb.type}, ${lb.internal ? "internal" : "internet-facing"}`,
    });
    items.push({
      category: "Load balancer",
      resource: `${lb.address} capacity`,
      quantity: usage.loadBalancerCapacityUnits * h,
      unit: nlb ? "NLCU-hour" : "LCU-hour",
      unitPrice: nlb ? prices.nlbNlcuHour : prices.albLcuHour,
    });
  }
  if (model.dxAssociations.length > 0 && usage.directConnectOutGb > 0)
    items.push({
      category: "Direct Connect",
      resource: "data out over Direct Connect",
      quantity: usage.directConnectOutGb,
      unit: "GB",
      unitPrice: prices.dxDataOutGb,
      note: "the port and the virtual interface come with your connection",
    });
  return items;
}
