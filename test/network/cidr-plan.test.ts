import { planSubnets } from "../../modules/network";
import { mlVpcPropsSchema } from "../../modules/network/schema";
import { overlaps, within } from "../../modules/core/cidr";
import { baseProps } from "../helpers";
import type { MlVpcProps } from "../../modules/network";

const plan = (props: MlVpcProps) => planSubnets(mlVpcPropsSchema.parse(props));
const cidrOf = (props: MlVpcProps, tier: string, az: string) => plan(props).find((s) => s.tier === tier && s.availabilityZone === az)?.cidr;

describe("CIDR plan", () => {
  it("places each tier in its fixed quarter of the VPC and each AZ in its letter's slot", () => {
    // 10.0.0.0/16: tier blocks are /18 (public .0, private .64, isolated .128, training .192),
    // AZ blocks inside them /20 (a +0, b +16, c +32, d +48).
    const props = baseProps({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] });
    expect(cidrOf(props, "public", "us-east-1a")).toBe("10.0.0.0/24");
    expect(cidrOf(props, "public", "us-east-1b")).toBe("10.0.16.0/24");
    expect(cidrOf(props, "public", "us-east-1c")).toBe("10.0.32.0/24");
    expect(cidrOf(props, "private", "us-east-1a")).toBe("10.0.64.0/20");
    expect(cidrOf(props, "private", "us-east-1c")).toBe("10.0.96.0/20");
    expect(cidrOf(props, "isolated", "us-east-1b")).toBe("10.0.144.0/24");
    expect(cidrOf(props, "training", "us-east-1a")).toBe("10.0.192.0/20");
  });

  it("gives every subnet a range inside the VPC that overlaps no other", () => {
    const subnets = plan(baseProps({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] }));
    expect(subnets).toHaveLength(4 * 3 + 1);
    for (const s of subnets) expect(within(s.cidr, "10.0.0.0/16")).toBe(true);
    for (let i = 0; i < subnets.length; i++) {
      for (let j = i + 1; j < subnets.length; j++) expect(overlaps(subnets[i].cidr, subnets[j].cidr)).toBe(false);
    }
  });

  it("does not depend on the order of the AZ list or on which other tiers exist", () => {
    const a = plan(baseProps());
    const reordered = plan(baseProps({ availabilityZones: ["us-east-1b", "us-east-1a"] }));
    const onlyPrivate = plan(baseProps({ nat: "none", tiers: { private: { prefixLength: 20 } } }));
    const key = (s: { tier: string; availabilityZone: string }) => `${s.tier}/${s.availabilityZone}`;
    const byKey = new Map(a.map((s) => [key(s), s.cidr]));
    for (const s of reordered) expect(s.cidr).toBe(byKey.get(key(s)));
    for (const s of onlyPrivate) expect(s.cidr).toBe(byKey.get(key(s)));
  });

  it("lets an explicit CIDR override the plan for one AZ only", () => {
    const props = baseProps({
      tiers: { ...baseProps().tiers, isolated: { prefixLength: 24, cidrs: { "us-east-1b": "10.0.130.0/24" } } },
    });
    const subnets = plan(props);
    const isolatedB = subnets.find((s) => s.tier === "isolated" && s.availabilityZone === "us-east-1b")!;
    expect(isolatedB).toMatchObject({ cidr: "10.0.130.0/24", origin: "explicit" });
    expect(cidrOf(props, "isolated", "us-east-1a")).toBe("10.0.128.0/24");
  });

  it("carves a tier placed on a secondary CIDR from that whole block", () => {
    const props = baseProps({
      secondaryCidrs: ["100.64.0.0/16"],
      tiers: { ...baseProps().tiers, training: { prefixLength: 18, cidrBlock: "100.64.0.0/16" } },
    });
    expect(cidrOf(props, "training", "us-east-1a")).toBe("100.64.0.0/18");
    expect(cidrOf(props, "training", "us-east-1b")).toBe("100.64.64.0/18");
    expect(plan(props).find((s) => s.tier === "training")!.vpcCidrBlock).toBe("100.64.0.0/16");
  });

  it("uses eight AZ slots when asked, for regions with AZ letters past d", () => {
    const props = baseProps({ azSlots: 8, availabilityZones: ["us-east-1a", "us-east-1f"], tiers: { private: { prefixLength: 21 } }, nat: "none" });
    // /18 tier block, /21 AZ blocks: f is slot 5 -> 10.0.64.0 + 5 * 8.0 = 10.0.104.0/21.
    expect(cidrOf(props, "private", "us-east-1f")).toBe("10.0.104.0/21");
  });
});
