/**
 * The promise of the project: growing a network adds resources and changes
 * none. Each case synthesizes a configuration and a grown copy, then checks
 * that every resource of the first exists in the second under the same
 * address with identical attributes.
 */
import { prod } from "../../environments";
import type { EnvironmentConfig } from "../../environments";
import { zonesOf } from "../../modules/network";
import { allResources, synthEnvironment } from "../helpers";

function expectGrowthOnly(before: EnvironmentConfig, after: EnvironmentConfig): { added: string[] } {
  const a = allResources(synthEnvironment(before).json);
  const b = allResources(synthEnvironment(after).json);
  for (const [address, body] of a) {
    expect({ address, body: b.get(address) }).toEqual({ address, body });
  }
  return { added: [...b.keys()].filter((k) => !a.has(k)) };
}

// The first three AZs of prod's region, in letter order (a, b, c in us-east-1).
const [azA, azB, azC] = zonesOf(prod.region)!;
// The Studio domain is pinned to two AZs in prod; here it sits in the first, which every variant has. The Resolver
// endpoints and the load balancer need two AZs: they are pinned to two that the variant has.
const pinned = (azs: string[]): Partial<EnvironmentConfig> => ({
  sagemaker: { ...prod.sagemaker, domain: { availabilityZones: [azA] } },
  hybridDns: { ...prod.hybridDns, availabilityZones: azs },
  inferenceIngress: { ...prod.inferenceIngress!, availabilityZones: azs },
});
const base: EnvironmentConfig = { ...prod, ...pinned([azA, azB]) };
const withNetwork = (patch: Partial<EnvironmentConfig["network"]>, over: Partial<EnvironmentConfig> = {}): EnvironmentConfig => ({
  ...base,
  ...over,
  network: { ...base.network, ...patch },
});
const twoAz = withNetwork({ availabilityZones: [azA, azB] });

describe("Stable addresses", () => {
  it("adding an AZ (a,b -> a,b,c) adds that AZ's resources and changes nothing else", () => {
    const { added } = expectGrowthOnly(twoAz, withNetwork({ availabilityZones: [azA, azB, azC] }));
    expect(added.length).toBeGreaterThan(0);
    // Everything new belongs to the third AZ.
    for (const address of added) expect(address).toContain(azC);
  });

  it("adding an AZ in the middle of the alphabet (a,c -> a,b,c) moves nothing", () => {
    const ac = withNetwork({ availabilityZones: [azA, azC] }, pinned([azA, azC]));
    const { added } = expectGrowthOnly(ac, withNetwork({ availabilityZones: [azA, azB, azC] }, pinned([azA, azC])));
    for (const address of added) expect(address).toContain(azB);
  });

  it("adding a tier adds that tier's resources and changes nothing else", () => {
    const { isolated: _isolated, ...withoutIsolated } = prod.network.tiers;
    const { added } = expectGrowthOnly(withNetwork({ tiers: withoutIsolated }), base);
    expect(added.length).toBeGreaterThan(0);
    for (const address of added) expect(address).toMatch(/isolated/);
  });

  it("adding the training tier to a second AZ leaves the first AZ's training subnet alone", () => {
    const tiers = { ...prod.network.tiers, training: { prefixLength: 20, availabilityZones: [azA, azB] } };
    const twoAzTraining = { blueprint: { name: "distributedLlm" as const, deviations: { singleAzTraining: "a second training AZ for a separate cluster" } } };
    const { added } = expectGrowthOnly(base, withNetwork({ tiers }, twoAzTraining));
    for (const address of added) expect(address).toContain(`training-${azB}`);
  });

  it("reordering the AZ list changes no resource", () => {
    const reordered = withNetwork({ availabilityZones: [azC, azA, azB] });
    const a = allResources(synthEnvironment(base).json);
    const b = allResources(synthEnvironment(reordered).json);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [address, body] of a) expect(b.get(address)).toEqual(body);
  });
});
