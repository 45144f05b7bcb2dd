/**
 * Every invalid input HybridDns rejects, with the field as written and the
 * message. Built on plain networks (no synthesis): validation runs in the
 * constructor.
 */
import { TerraformStack, Testing } from "cdktf";
import { ConfigError } from "../../modules/core/errors";
import type { IMlNetwork, SubnetTier } from "../../modules/network";
import { HybridDns, hybridDnsConfigSchema, validateHybridDns, type HybridDnsConfig, type HybridDnsProps } from "../../modules/hybrid-dns";
import { configIssues, existingNetwork } from "../helpers";

const AZS = ["us-east-1a", "us-east-1b"];
/** private in two AZs: 10.0.0.0/24 (1a) and 10.0.1.0/24 (1b); training in one: 10.0.2.0/24. */
const NETWORK = existingNetwork({}, [
  { tier: "private", az: AZS[0] },
  { tier: "private", az: AZS[1] },
  { tier: "training", az: AZS[0] },
]);
const ON_PREM = ["172.16.0.0/16"];
const CORP = { domain: "corp.example.com", targets: [{ ip: "172.16.0.10" }] };
const RULE = { forwardRules: { corp: CORP } };

let stacks = 0;
const build = (config: HybridDnsConfig, over: Partial<HybridDnsProps> = {}, network: IMlNetwork = NETWORK) =>
  new HybridDns(new TerraformStack(Testing.app(), `s${++stacks}`), "dns", { network, onPremisesCidrs: ON_PREM, ...config, ...over });
const issues = (config: HybridDnsConfig, over: Partial<HybridDnsProps> = {}, network?: IMlNetwork) => configIssues(() => build(config, over, network));
/** The one issue of an input (fails when there are more or none). */
const only = (config: HybridDnsConfig, over?: Partial<HybridDnsProps>, network?: IMlNetwork) => {
  const found = issues(config, over, network);
  expect(found).toHaveLength(1);
  return found[0];
};
const rule = (domain: string, targets: { ip: string; port?: number }[] = [{ ip: "172.16.0.10" }]) => ({ forwardRules: { corp: { domain, targets } } });

describe("HybridDns accepts", () => {
  it("a valid configuration, and a zone below a forwarded domain (the zone answers its own names)", () => {
    expect(() => build({ ...RULE, privateZone: { name: "ml.corp.example.com", records: { registry: { type: "A", values: ["10.0.0.10"] } } } })).not.toThrow();
  });

  it("rules for nested domains (the most specific wins), single-label domains and a custom port", () => {
    const forwardRules = {
      corp: { domain: "corp.example.com", targets: [{ ip: "172.16.0.10" }] },
      lab: { domain: "lab.corp.example.com", targets: [{ ip: "172.16.0.11", port: 5353 }] },
      ad: { domain: "ad", targets: [{ ip: "172.16.0.12" }] },
    };
    expect(() => build({ forwardRules })).not.toThrow();
  });
});

describe("HybridDns rejects", () => {
  it("fewer than two AZs with a subnet of the tier", () => {
    expect(only({ tier: "training" })).toMatchObject({
      path: "tier",
      value: "training",
      message: expect.stringMatching(
        /1 AZ with a training subnet \(us-east-1a\); this module places them in two AZs or more \(Route 53 requires two IP addresses and recommends two AZs\)/,
      ),
    });
    expect(only({ availabilityZones: ["us-east-1a"] })).toMatchObject({ path: "availabilityZones", fix: expect.stringMatching(/us-east-1a, us-east-1b/) });
    expect(only({ tier: "isolated" })).toMatchObject({ path: "tier", message: expect.stringMatching(/0 AZs/) });
  });

  it("an AZ without a subnet of the tier", () => {
    expect(issues({ availabilityZones: ["us-east-1a", "us-east-1c"] })[0]).toMatchObject({
      path: "availabilityZones[1]",
      value: "us-east-1c",
      message: "has no private subnet",
    });
  });

  it("a configuration that creates nothing (but a zone alone needs no AZs)", () => {
    expect(only({ inbound: { enabled: false } })).toMatchObject({ path: "", message: expect.stringMatching(/creates nothing/) });
    expect(() => build({ inbound: { enabled: false }, privateZone: { name: "ml.example.com" } }, {}, existingNetwork())).not.toThrow();
  });

  it("on-premises ranges that are missing, malformed or overlap the VPC", () => {
    expect(only({}, { onPremisesCidrs: [] })).toMatchObject({ path: "onPremisesCidrs", message: expect.stringMatching(/is empty/) });
    expect(only({}, { onPremisesCidrs: ["172.16.0.0/33"] })).toMatchObject({ path: "onPremisesCidrs[0]" });
    expect(only({}, { onPremisesCidrs: ["172.16.0.1/16"] }).message).toMatch(/host bits/);
    expect(only({}, { onPremisesCidrs: ["10.0.128.0/17"] })).toMatchObject({ path: "onPremisesCidrs[0]", message: "overlaps the VPC CIDR 10.0.0.0/16" });
    expect(only({}, { onPremisesCidrs: "172.16.0.0/16" as unknown as string[] })).toMatchObject({ path: "onPremisesCidrs", message: "is not a list of CIDRs" });
  });

  it("rule names that are not short slugs", () => {
    expect(only({ forwardRules: { Corp: CORP } })).toMatchObject({ path: "forwardRules.Corp", message: "is not a short lower-case name" });
    expect(only({ forwardRules: { "corp dc": CORP } }).path).toBe('forwardRules["corp dc"]');
  });

  it.each([
    ["corp..example.com", /empty label/],
    [".corp.example.com", /empty label/],
    [`${"a".repeat(64)}.example.com`, /64 characters; a label takes at most 63/],
    [`${"abcdefghi.".repeat(26)}com`, /263 characters; a domain name takes at most 253/],
    ["under_score.example.com", /"under_score", which is not letters, digits and inner hyphens/],
    ["-corp.example.com", /"-corp"/],
    ["corp-.example.com", /"corp-"/],
    ["172.16.0.10", /is an IP address/],
    ["", /is the DNS root/],
    [".", /is the DNS root/],
    ["com", /contains amazonaws\.com/],
    ["amazonaws.com", /lies in amazonaws\.com/],
    ["s3.us-east-1.amazonaws.com", /lies in amazonaws\.com/],
    ["ip-10-0-0-1.ec2.internal", /lies in ec2\.internal/],
    ["eu-west-1.compute.internal", /lies in compute\.internal/],
    ["compute-1.internal", /lies in compute-1\.internal/],
    ["LocalHost.", /lies in localhost/],
  ])("the forwarded domain %j", (domain, message) => {
    expect(only(rule(domain))).toMatchObject({ path: "forwardRules.corp.domain", value: domain, message: expect.stringMatching(message) });
  });

  it("two rules for the same domain, however written", () => {
    const forwardRules = { corp: CORP, corp2: { domain: "CORP.example.com.", targets: [{ ip: "172.16.0.11" }] } };
    expect(only({ forwardRules })).toMatchObject({ path: "forwardRules.corp2.domain", message: 'is already forwarded by rule "corp"' });
  });

  it("targets that are missing, repeated, malformed, in the VPC or outside the on-premises ranges, and bad ports", () => {
    expect(only(rule("corp.example.com", []))).toMatchObject({ path: "forwardRules.corp.targets", message: expect.stringMatching(/at least one DNS server/) });
    expect(only(rule("corp.example.com", [{ ip: "172.16.0.10" }, { ip: "172.16.0.10", port: 53 }]))).toMatchObject({
      path: "forwardRules.corp.targets[1]",
      message: "repeats an earlier target of this rule",
    });
    expect(only(rule("corp.example.com", [{ ip: "172.16.0" }]))).toMatchObject({ path: "forwardRules.corp.targets[0].ip", message: "is not an IPv4 address" });
    expect(only(rule("corp.example.com", [{ ip: "10.0.0.53" }]))).toMatchObject({
      path: "forwardRules.corp.targets[0].ip",
      message: expect.stringMatching(/inside the VPC \(10\.0\.0\.0\/16\)/),
    });
    expect(only(rule("corp.example.com", [{ ip: "192.168.1.53" }]))).toMatchObject({
      path: "forwardRules.corp.targets[0].ip",
      message: expect.stringMatching(/outside the on-premises ranges \(172\.16\.0\.0\/16\)/),
    });
    for (const port of [0, 65536, 53.5]) {
      expect(only(rule("corp.example.com", [{ ip: "172.16.0.10", port }]))).toMatchObject({ path: "forwardRules.corp.targets[0].port", value: port });
    }
  });

  it("a zone that is invalid, the root, or a forwarded domain itself", () => {
    expect(only({ privateZone: { name: "ml..example.com" } })).toMatchObject({ path: "privateZone.name", message: expect.stringMatching(/empty label/) });
    expect(only({ privateZone: { name: "." } })).toMatchObject({ path: "privateZone.name", message: "is the DNS root" });
    expect(only({ ...RULE, privateZone: { name: "Corp.Example.com" } })).toMatchObject({
      path: "privateZone.name",
      message: expect.stringMatching(/forwarded on-premises by rule "corp", which takes precedence: the zone would never answer/),
    });
  });

  it("a zone in a VPC without DNS hostnames or DNS support, and endpoints without DNS support", () => {
    expect(only({ privateZone: { name: "ml.example.com" } }, {}, { ...NETWORK, dnsHostnames: false })).toMatchObject({
      path: "privateZone",
      message: expect.stringMatching(/DNS hostnames and DNS support/),
    });
    expect(issues({}, {}, { ...NETWORK, dnsSupport: false })[0]).toMatchObject({ path: "network.dnsSupport", value: false });
  });

  it("record names that are the apex, invalid, too long or repeated", () => {
    const zone = (records: NonNullable<HybridDnsConfig["privateZone"]>["records"]) => ({
      inbound: { enabled: false },
      privateZone: { name: "ml.example.com", records },
    });
    const a = { type: "A" as const, values: ["10.0.0.10"] };
    expect(only(zone({ "@": a }))).toMatchObject({ path: 'privateZone.records["@"]', message: expect.stringMatching(/zone apex/) });
    expect(only(zone({ bad_label: a }))).toMatchObject({ path: "privateZone.records.bad_label", message: expect.stringMatching(/"bad_label"/) });
    const long = Array.from({ length: 4 }, () => "a".repeat(60)).join(".");
    expect(only(zone({ [long]: a })).message).toMatch(/^makes a{60}\..*which is 258 characters; a domain name takes at most 253/);
    expect(only(zone({ registry: a, Registry: a }))).toMatchObject({
      path: "privateZone.records.Registry",
      message: expect.stringMatching(/same record as "registry"/),
    });
  });

  it("record values and TTLs that do not fit the type", () => {
    const zone = (record: { type: "A" | "CNAME"; values: string[]; ttl?: number }) => ({
      inbound: { enabled: false },
      privateZone: { name: "ml.example.com", records: { registry: record } },
    });
    const at = "privateZone.records.registry";
    expect(only(zone({ type: "A", values: [] }))).toMatchObject({ path: `${at}.values`, message: "is empty" });
    expect(only(zone({ type: "A", values: ["registry.corp"] }))).toMatchObject({
      path: `${at}.values[0]`,
      message: expect.stringMatching(/not an IPv4 address/),
    });
    expect(only(zone({ type: "A", values: ["10.0.0.1", "10.0.0.1"] }))).toMatchObject({ path: `${at}.values[1]`, message: "repeats an earlier value" });
    expect(only(zone({ type: "CNAME", values: ["a.example.com", "b.example.com"] }))).toMatchObject({
      path: `${at}.values`,
      message: expect.stringMatching(/exactly one name/),
    });
    expect(only(zone({ type: "CNAME", values: ["a..example.com"] }))).toMatchObject({ path: `${at}.values[0]` });
    for (const ttl of [-1, 1.5, 2147483648]) expect(only(zone({ type: "A", values: ["10.0.0.1"], ttl }))).toMatchObject({ path: `${at}.ttl`, value: ttl });
  });

  it("fixed inbound addresses outside the subnet, reserved, malformed, in an unused AZ, or with inbound off", () => {
    const fixed = (ipAddresses: Record<string, string>, enabled = true) => ({ inbound: { enabled, ipAddresses } });
    const at = "inbound.ipAddresses.us-east-1a";
    expect(only(fixed({ "us-east-1a": "10.0.1.10" }))).toMatchObject({ path: at, message: "is outside the subnet 10.0.0.0/24" });
    for (const ip of ["10.0.0.0", "10.0.0.3", "10.0.0.255"]) {
      expect(only(fixed({ "us-east-1a": ip }))).toMatchObject({ path: at, value: ip, message: "is one of the five addresses AWS reserves in 10.0.0.0/24" });
    }
    expect(() => build(fixed({ "us-east-1a": "10.0.0.4", "us-east-1b": "10.0.1.254" }))).not.toThrow();
    expect(only(fixed({ "us-east-1a": "10.0.0.256" }))).toMatchObject({ path: at, message: "is not an IPv4 address" });
    expect(only(fixed({ "us-east-1c": "10.0.0.10" }))).toMatchObject({
      path: "inbound.ipAddresses.us-east-1c",
      message: "names an AZ the endpoints do not use",
    });
    expect(only({ ...RULE, ...fixed({ "us-east-1a": "10.0.0.10" }, false) })).toMatchObject({
      path: "inbound.ipAddresses",
      message: /inbound.enabled is false/,
    });
  });

  it("names beyond AWS's limits: the endpoints' and the rules'", () => {
    // A plain network's name takes at most 40 characters (so does MlVpc's): only validateHybridDns sees a longer one.
    const longNetwork = { ...NETWORK, name: `ml-${"x".repeat(50)}` };
    const found = validateHybridDns(hybridDnsConfigSchema.parse(RULE), longNetwork, ON_PREM);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "",
          value: longNetwork.name,
          message: expect.stringMatching(/makes the Route 53 Resolver endpoint or rule name "ml-x+-dns-inbound", which is 65 characters; .* at most 64/),
        }),
        expect.objectContaining({ path: "forwardRules.corp", message: expect.stringMatching(/-forward-corp", which is 66 characters/) }),
      ]),
    );
    const longRule = { forwardRules: { [`c${"o".repeat(30)}`]: CORP } };
    expect(only(longRule, {}, { ...NETWORK, name: `ml-${"x".repeat(37)}` })).toMatchObject({
      path: `forwardRules.c${"o".repeat(30)}`,
      message: expect.stringMatching(/which is 80 characters; a Route 53 Resolver endpoint or rule name takes at most 64/),
      fix: "shorten the rule name",
    });
  });

  it("unknown fields, wrong types and bad tags, through the schema", () => {
    expect(only({ forwardRule: RULE } as unknown as HybridDnsConfig)).toMatchObject({ path: "forwardRule", fix: 'did you mean "forwardRules"?' });
    expect(only({ inbound: { enabled: false }, privateZone: { name: "ml.example.com", records: { mx: { type: "MX" as "A", values: ["x"] } } } })).toMatchObject(
      {
        path: "privateZone.records.mx.type",
      },
    );
    expect(only({ tier: "gpu" as SubnetTier }).path).toBe("tier");
    expect(only({}, { tags: { "aws:team": "ml" } })).toMatchObject({ path: "tags.aws:team", message: expect.stringMatching(/aws:/) });
  });

  it("reports every problem at once, naming the construct, the field, the value and the fix", () => {
    let error: unknown;
    try {
      build(
        { forwardRules: { Corp: { domain: "amazonaws.com", targets: [{ ip: "8.8.8.8", port: 0 }] } }, privateZone: { name: "." } },
        { onPremisesCidrs: ["10.0.0.0/8"] },
      );
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isConfigError(error)).toBe(true);
    const e = error as ConfigError;
    expect(e.issues.map((i) => i.path)).toEqual([
      "onPremisesCidrs[0]",
      "forwardRules.Corp",
      "forwardRules.Corp.domain",
      "forwardRules.Corp.targets[0].port",
      "forwardRules.Corp.targets[0].ip",
      "privateZone.name",
    ]);
    expect(e.message).toMatch(/^Invalid configuration for HybridDns "s\d+\/dns": 6 problems/);
    expect(e.message).toContain(
      "forwardRules.Corp.domain: lies in amazonaws.com (AWS service and EC2 public names, which the VPC's endpoints and instances resolve in AWS); forwarding it on-premises overrides Resolver's own rule (got \"amazonaws.com\"). Fix:",
    );
  });
});
