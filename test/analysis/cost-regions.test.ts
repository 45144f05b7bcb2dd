/**
 * The estimate says which price table priced it, warns when that is not the
 * network's own region, and prices EFA nodes per region where a table has
 * the type.
 */
import { PRICED_REGIONS, REGION_PRICE_OVERRIDES, US_EAST_1_PRICES, estimateCost, pricesFor } from "../../analysis/cost";
import { buildModel } from "../../analysis/model";
import type { TfJsonShape } from "../../analysis/tfjson";

/** A NAT gateway and an EFA cluster of `type` (2 nodes), in `region` (none: no provider region). */
function network(region: string | undefined, type = "p4d.24xlarge"): TfJsonShape {
  return {
    provider: { aws: [region ? { region } : {}] },
    resource: {
      aws_subnet: { a: { cidr_block: "10.0.0.0/24", availability_zone: `${region ?? "us-east-1"}a` } },
      aws_nat_gateway: { n: { subnet_id: "${aws_subnet.a.id}" } },
      aws_launch_template: { lt: { instance_type: type } },
      aws_autoscaling_group: {
        train: { name: "train", min_size: 0, desired_capacity: 2, max_size: 4, launch_template: { id: "${aws_launch_template.lt.id}" } },
      },
    },
  };
}

const cost = (region: string | undefined, type?: string) => estimateCost(buildModel(network(region, type)));
const efa = (c: ReturnType<typeof cost>) => c.items.find((i) => i.category === "EFA nodes")!;
const nat = (c: ReturnType<typeof cost>) => c.items.find((i) => i.category === "NAT gateway")!;

describe("price labels", () => {
  it("a region with a table is priced from it, without warnings", () => {
    for (const region of ["us-east-1", "eu-west-1"]) {
      const c = cost(region);
      expect(c.prices).toMatchObject({ region, networkRegion: region, label: `prices: ${region} (2025-07-01)` });
      expect(c.warnings).toEqual([]);
    }
    expect(nat(cost("eu-west-1")).unitPrice).not.toBe(nat(cost("us-east-1")).unitPrice);
  });

  it("a region without a table is labelled with the table that priced it, and warns", () => {
    const c = cost("ap-south-1");
    expect(c.prices).toMatchObject({ region: "us-east-1", networkRegion: "ap-south-1", label: "priced as us-east-1: no price table for ap-south-1" });
    expect(c.warnings).toEqual([
      `priced as us-east-1: no price table for ap-south-1 (us-east-1 prices of 2025-07-01); regions with a price table: ${PRICED_REGIONS.join(", ")}`,
    ]);
    expect(nat(c).unitPrice).toBe(nat(cost("us-east-1")).unitPrice);
    expect(pricesFor("ap-south-1").region).toBe("us-east-1");
  });

  it("JSON without a provider region, and a price list given for another region, are labelled and warned about too", () => {
    expect(cost(undefined).prices.label).toBe("priced as us-east-1: the JSON names no region");
    expect(cost(undefined).warnings).toHaveLength(1);
    const given = estimateCost(buildModel(network("eu-central-1")), {}, pricesFor("eu-west-1"));
    expect(given.prices.label).toBe("priced as eu-west-1: the network is in eu-central-1");
    expect(given.warnings).toEqual(["priced as eu-west-1: the network is in eu-central-1 (eu-west-1 prices of 2025-07-01)"]);
  });
});

describe("EFA nodes per region", () => {
  it("are priced at the region's own price where its table has the type", () => {
    const home = efa(cost("us-east-1")).unitPrice;
    const regional = Object.keys(REGION_PRICE_OVERRIDES).filter((r) => REGION_PRICE_OVERRIDES[r].instanceHour?.["p4d.24xlarge"] !== undefined);
    expect(regional.length).toBeGreaterThanOrEqual(3);
    const differ = regional.filter((region) => {
      const c = cost(region);
      expect({ region, warnings: c.warnings }).toEqual({ region, warnings: [] });
      expect(efa(c).unitPrice).toBe(pricesFor(region).instanceHour["p4d.24xlarge"]);
      expect(efa(c).monthly).toBeCloseTo(2 * 730 * efa(c).unitPrice, 2);
      return efa(c).unitPrice !== home;
    });
    // Europe and Tokyo cost more than Virginia; Oregon lists the same price.
    expect(differ.sort()).toEqual(["ap-northeast-1", "eu-central-1", "eu-west-1"]);
    for (const region of differ) expect(efa(cost(region)).unitPrice).toBeGreaterThan(home);
  });

  it("a type a regional table lacks is priced as us-east-1, with a warning, instead of an invented price", () => {
    const c = cost("eu-west-1", "p5.48xlarge");
    expect(efa(c).unitPrice).toBe(US_EAST_1_PRICES.instanceHour["p5.48xlarge"]);
    expect(efa(c).note).toMatch(/us-east-1 price, none in the eu-west-1 table/);
    expect(c.warnings).toEqual(["p5.48xlarge priced as us-east-1: no price for it in the eu-west-1 table"]);
    expect(c.prices.label).toBe("prices: eu-west-1 (2025-07-01)");
  });

  it("a type no table has counts $0 and says so", () => {
    const c = cost("us-east-1", "trn2.48xlarge");
    expect(efa(c)).toMatchObject({ unitPrice: 0, monthly: 0, note: "no price for trn2.48xlarge in the table" });
    expect(c.warnings).toEqual(["trn2.48xlarge not priced: no price for it in the table (the nodes of train count $0)"]);
  });
});
