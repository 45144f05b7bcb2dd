/**
 * The hybrid and serving parts of an environment, as a user relies on them:
 * hybrid DNS, Direct Connect, partner PrivateLink endpoints and the inference
 * load balancer. Bad input is rejected at its path, all at once; the NACL
 * consistency proof covers the load balancer's and the partners' groups; the
 * shipped prod network lets the right callers through (and no others);
 * growing any of the four only adds resources; and staging and prod carry
 * the parts their files promise.
 */
import { Testing } from "cdktf";
import { MlPlatformStack, checkEnvironment, prod, resolveEnvironment, staging, type EnvironmentConfig } from "../../environments";
import { analyzeReachability, buildModel, type TfJsonShape } from "../../analysis";
import { loadBalancerName } from "../../modules/inference-ingress";
import { DEFAULT_SERVING_PORTS } from "../../modules/security-groups";
import { allResources, configIssues, environmentJson, resourceList, synthEnvironment, type TfJson } from "../helpers";
import { ConfigError, type ConfigIssue } from "../../modules/core/errors";

const lb = prod.inferenceIngress!;
const dns = prod.hybridDns!;
const featureStore = prod.partnerEndpoints!.partners["feature-store"];
const zoneName = dns.privateZone!.name;
const onPremisesCidrs = prod.onPremisesCidrs!;
// Names the report and the matchers know prod's parts by.
const LB = loadBalancerName(lb, `ml-${prod.name}`);
const PARTNER_SERVICE = featureStore.serviceName.split(".").pop()!;
// Another partner's endpoint service, in prod's Region (17 hexadecimal digits, as AWS names them).
const OTHER_SERVICE = `com.amazonaws.vpce.${prod.region}.vpce-svc-0a1b2c3d4e5f60718`;
// Internet clients of an internet-facing load balancer (TEST-NET-2, RFC 5737).
const INTERNET_CLIENTS = ["198.51.100.0/24"];

/** Every issue of one environment, checked alone. */
const issuesOf = (env: EnvironmentConfig): ConfigIssue[] => checkEnvironment(env).issues;

/** The one issue at `path`; fails listing every issue when there is none, or several. */
function issueAt(issues: readonly ConfigIssue[], path: string): ConfigIssue {
  const hits = issues.filter((i) => i.path === path);
  if (hits.length !== 1) throw new Error(`expected one issue at ${path}, got ${hits.length}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  return hits[0];
}

const withPartner = (partner: Partial<typeof featureStore>): EnvironmentConfig => ({
  ...prod,
  partnerEndpoints: { partners: { "feature-store": { ...featureStore, ...partner } } },
});
const withLb = (patch: Partial<typeof lb>, over: Partial<EnvironmentConfig> = {}): EnvironmentConfig => ({
  ...prod,
  ...over,
  inferenceIngress: { ...lb, ...patch },
});
const withDns = (patch: Partial<typeof dns>): EnvironmentConfig => ({ ...prod, hybridDns: { ...dns, ...patch } });
const withRecords = (records: NonNullable<NonNullable<typeof dns.privateZone>["records"]>): EnvironmentConfig =>
  withDns({ privateZone: { name: zoneName, records } });

describe("hybrid parts without what they need", () => {
  const { vpn: _vpn, ...noVpn } = prod;

  it("hybridDns and directConnect without a vpn are rejected at their own paths", () => {
    const issues = issuesOf(noVpn);
    expect(issueAt(issues, "hybridDns").message).toMatch(/no path to it/);
    expect(issueAt(issues, "directConnect").message).toMatch(/vpn is not configured/);
    // Each alone, the same.
    const { directConnect: _dx, ...dnsOnly } = noVpn;
    expect(issuesOf(dnsOnly).map((i) => i.path)).toEqual(["hybridDns"]);
    const { hybridDns: _dns, ...dxOnly } = noVpn;
    expect(issuesOf(dxOnly).map((i) => i.path)).toEqual(["directConnect"]);
  });

  it("directConnect.propagateToTiers is not a field of an environment (the VPN's gateway propagates)", () => {
    const env = { ...prod, directConnect: { ...prod.directConnect, propagateToTiers: ["private"] } } as unknown as EnvironmentConfig;
    const issue = issueAt(
      configIssues(() => resolveEnvironment(env)),
      "directConnect.propagateToTiers",
    );
    expect(issue.message).toMatch(/is not a known field/);
  });

  it("directConnect.gateway with both create and existingId, or neither, is named as written", () => {
    const both = issuesOf({ ...prod, directConnect: { gateway: { create: {}, existingId: "x" } } as never });
    expect(issueAt(both, "directConnect.gateway").message).toMatch(/sets both create and existingId/);
    const neither = issuesOf({ ...prod, directConnect: { gateway: {} } as never });
    expect(neither.map((i) => `${i.path}: ${i.message}`)).toEqual(["directConnect.gateway: names neither create nor existingId"]);
  });
});

describe("partner endpoints: bad input", () => {
  it("data and vpcEndpoints are not callers", () => {
    const issues = issuesOf(withPartner({ callers: ["training", "data", "vpcEndpoints"] }));
    expect(issueAt(issues, "partnerEndpoints.partners.feature-store.callers[1]").message).toMatch(/calls no service \(data stores have no egress\)/);
    expect(issueAt(issues, "partnerEndpoints.partners.feature-store.callers[2]").message).toMatch(/calls no service \(interface endpoints only receive\)/);
    expect(issues).toHaveLength(2);
  });

  it("a partner's service that is also a custom interface endpoint is rejected", () => {
    const endpoints = prod.endpoints!;
    const env: EnvironmentConfig = {
      ...prod,
      endpoints: {
        ...endpoints,
        interface: {
          ...endpoints.interface,
          services: [...endpoints.interface!.services!, "vendor-fs"],
          customServices: { "vendor-fs": { serviceName: featureStore.serviceName, purpose: "the vendor feature store, again" } },
        },
      },
    };
    const issues = issuesOf(env);
    expect(issueAt(issues, "partnerEndpoints.partners.feature-store.serviceName").message).toMatch(
      /is also an interface endpoint of endpoints\.interface\.customServices/,
    );
    expect(issues).toHaveLength(1);
  });
});

describe("inference load balancer: bad input", () => {
  it("callerGroups must be groups of the environment, and not the inference group itself", () => {
    const issues = issuesOf(withLb({ callerGroups: ["notebook", "notebooks" as never, "inference"] }));
    expect(issueAt(issues, "inferenceIngress.callerGroups[1]").message).toMatch(/is not a security group of this environment/);
    expect(issueAt(issues, "inferenceIngress.callerGroups[2]").message).toMatch(/is the group behind the load balancer/);
    expect(issues).toHaveLength(2);
  });

  it("the inference group may have no other caller: its own callerGroups, or on-premises access to it", () => {
    const callers = issueAt(issuesOf({ ...prod, securityGroups: { inference: { callerGroups: ["notebook"] } } }), "securityGroups.inference");
    expect(callers.message).toMatch(/also admits group notebook on its serving ports/);
    const access = [...prod.onPremisesAccess!, { group: "inference" as const, port: 8080, description: "on-premises apps call models directly" }];
    const onPrem = issueAt(issuesOf({ ...prod, onPremisesAccess: access }), "securityGroups.inference");
    expect(onPrem.message).toMatch(new RegExp(`also admits ${onPremisesCidrs[0].replace(/[./]/g, "\\$&")}`));
  });

  it("a certificate of another Region is rejected", () => {
    const arn = lb.certificateArn.replace(`:${prod.region}:`, ":eu-west-1:");
    expect(issueAt(issuesOf(withLb({ certificateArn: arn })), "inferenceIngress.certificateArn").message).toMatch(
      new RegExp(`certificate in eu-west-1, but the load balancer is in ${prod.region}`),
    );
  });
});

describe("hybrid DNS: bad input", () => {
  it("the private zone may not define the names the environment adds (inference, partners)", () => {
    const issues = issuesOf(
      withRecords({ inference: { type: "A", values: ["10.30.0.10"] }, "feature-store": { type: "CNAME", values: ["fs.vendor.example.com"] } }),
    );
    expect(issueAt(issues, "hybridDns.privateZone.records.inference").message).toMatch(/inference load balancer/);
    expect(issueAt(issues, "hybridDns.privateZone.records.feature-store").message).toMatch(/endpoint of partner "feature-store"/);
    expect(issues).toHaveLength(2);
    // Without the load balancer, "inference" is an ordinary record.
    const { inferenceIngress: _lb, ...noLb } = withRecords({ inference: { type: "A", values: ["10.30.0.10"] } });
    expect(issuesOf(noLb)).toEqual([]);
  });

  it("a record name is compared as Route 53 sees it (lower-case) and named after its owner; a partner may not be called inference", () => {
    const issues = issuesOf(withRecords({ Inference: { type: "A", values: ["10.30.0.10"] } }));
    expect(issueAt(issues, "hybridDns.privateZone.records.Inference").message).toMatch(/inference load balancer/);
    const partners = { ...prod.partnerEndpoints!.partners, inference: { ...featureStore, serviceName: OTHER_SERVICE } };
    const clash = issuesOf({ ...prod, partnerEndpoints: { partners } });
    expect(issueAt(clash, "partnerEndpoints.partners.inference").message).toMatch(/the name the environment gives the inference load balancer/);
  });

  it("the endpoints' tier must learn on-premises routes, and so must the load balancer's when on-premises calls it", () => {
    const trainingOnly = issuesOf({ ...prod, vpn: { ...prod.vpn!, propagateToTiers: ["training"] } });
    expect(issueAt(trainingOnly, "hybridDns.tier").message).toMatch(/has no route to on-premises: VPN routes reach only the training route tables/);
    expect(issueAt(trainingOnly, "inferenceIngress.callerCidrs").message).toMatch(/private route tables have no route back to on-premises/);
    const publicTier = issuesOf({ ...prod, networkAcls: { onPremisesTiers: ["private", "training", "public"] }, hybridDns: { ...dns, tier: "public" } });
    expect(issueAt(publicTier, "hybridDns.tier").fix).toMatch(/place the endpoints in private or training/);
  });

  it("a forward target outside onPremisesCidrs is rejected", () => {
    const env = withDns({ forwardRules: { corp: { domain: "corp.example.com", targets: [{ ip: "172.16.0.10" }, { ip: "192.168.1.10" }] } } });
    expect(issueAt(issuesOf(env), "hybridDns.forwardRules.corp.targets[1].ip").message).toMatch(/is outside the on-premises ranges \(172\.16\.0\.0\/16\)/);
  });

  it("every problem is reported at once", () => {
    const env: EnvironmentConfig = {
      ...withLb({ callerGroups: ["inference"], certificateArn: lb.certificateArn.replace(`:${prod.region}:`, ":eu-west-1:") }),
      hybridDns: { ...dns, forwardRules: { corp: { domain: "corp.example.com", targets: [{ ip: "192.168.1.10" }] } } },
    };
    const issues = configIssues(() => resolveEnvironment(env));
    expect(issues.map((i) => i.path).sort()).toEqual([
      "hybridDns.forwardRules.corp.targets[0].ip",
      "inferenceIngress.callerGroups[0]",
      "inferenceIngress.certificateArn",
    ]);
  });
});

/** Builds the stack (the NACL consistency proof runs in the constructor); the issues it is refused with, or none. */
function stackIssues(env: EnvironmentConfig): ConfigIssue[] {
  try {
    new MlPlatformStack(Testing.app(), env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe("the NACL consistency proof covers the load balancer's and the partners' groups", () => {
  const internetFacing = (port: number, over: Partial<EnvironmentConfig> = {}) =>
    withLb(
      {
        scheme: "internet-facing",
        internetFacingReason: "public demo API for partners, rate-limited upstream",
        callerCidrs: INTERNET_CLIENTS,
        listeners: { https: { port: 443 }, alt: { port } },
      },
      over,
    );

  it("an internet-facing listener on a port the public NACL drops fails synth, naming the blocked leg", () => {
    // A privileged port: the public NACL admits tcp 1024-65535 from anywhere (rule 300, replies to NAT and load
    // balancer connections), so only ports below 1024 depend on networkAcls.publicIngressPorts (default [80, 443]).
    const issues = stackIssues(internetFacing(853));
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.path).toBe("networkAcls");
      expect(issue.message).toMatch(
        new RegExp(`blocks the request tcp 853 into public ${prod.region}[a-z] from 198\\.51\\.100\\.0/24 .*inference load balancer.*public NACL`),
      );
    }
    // One blocked leg per public subnet of the load balancer.
    expect(issues).toHaveLength(prod.network.availabilityZones.length);
    expect(stackIssues(internetFacing(853, { networkAcls: { publicIngressPorts: [443, 853] } }))).toEqual([]);
  });

  it("a listener on 8443 passes with the default publicIngressPorts: the public tier's ephemeral rule admits it", () => {
    // 8443 is inside 1024-65535, which the public NACL admits from anywhere (rule 300), so the proof finds nothing
    // blocked, with or without 8443 in publicIngressPorts: that list only matters for ports below 1024.
    expect(stackIssues(internetFacing(8443))).toEqual([]);
    expect(stackIssues(internetFacing(8443, { networkAcls: { publicIngressPorts: [443, 8443] } }))).toEqual([]);
  });

  it("a partner in the isolated tier called from notebook (private) passes: the isolated NACL admits the VPC both ways", () => {
    const isolated = withPartner({ tier: "isolated", callers: ["notebook"] });
    const { json } = synthEnvironment(isolated);
    const associations = resourceList(json, "aws_vpc_endpoint_subnet_association").filter((a) => String(a.vpc_endpoint_id).includes("partner-endpoints"));
    expect(associations.map((a) => a.subnet_id)).toEqual(prod.network.availabilityZones.map((az) => expect.stringContaining(`subnet-isolated-${az}`)));
    expect(json).toReach("private", PARTNER_SERVICE);
    // The proof does check that flow: deny HTTPS into the isolated tier and the notebook's egress to the partner is refused.
    const deny = { tier: "isolated" as const, egress: false, ruleNumber: 90, port: 443, cidr: prod.network.cidr, action: "deny" as const };
    const issues = stackIssues({ ...isolated, networkAcls: { extraRules: [deny] } });
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues)
      expect(issue.message).toMatch(/request tcp 443 into isolated .* notebook-egress-tcp-443-partner feature-store .*isolated-ingress-rule-90/);
    // With the partner in the private tier the same deny blocks nothing: the refusal above is the partner's flow.
    expect(stackIssues({ ...prod, networkAcls: { extraRules: [deny] } })).toEqual([]);
  });
});

describe("prod: who reaches the hybrid and serving parts", () => {
  const json = environmentJson("prod");
  // The VPN learns the on-premises ranges by BGP: the report needs them to check traffic from on-premises.
  const known = { onPremisesCidrs };

  it("notebook reaches the inference load balancer, and the load balancer reaches inference on 8080", () => {
    expect(json).toReach("private", LB);
    expect(json).toAllowFlow("notebook", "inference-lb", 443);
    expect(json).toAllowFlow("inference-lb", "inference", DEFAULT_SERVING_PORTS[0]);
    expect(json).not.toAllowFlow("inference-lb", "inference", 22);
  });

  it("only the callers named reach the load balancer: not the isolated tier, not training", () => {
    expect(json).not.toReach("isolated", LB);
    expect(json).not.toReach("training", LB);
    expect(json).not.toReach("internet", LB);
    expect(json).not.toAllowFlow("training", "inference-lb", 443);
  });

  it("on-premises reaches the inbound DNS endpoint once the report knows the on-premises ranges", () => {
    expect(json).toReach("on-premises", "dns", known);
    expect(() => expect(json).toReach("on-premises", "dns")).toThrow(/on-premises ranges unknown \(BGP\)/);
  });

  it("queries for corp.example.com go to the on-premises DNS servers over Direct Connect, the VPN as backup", () => {
    expect(json).toReach("dns", "corp.example.com", { ...known, via: "vpn" });
    const rule = analyzeReachability(buildModel(json as TfJsonShape), known).dns.forwarding.find((f) => f.domain === "corp.example.com")!;
    expect(rule.verdict.path).toEqual(expect.arrayContaining(["Direct Connect", "172.16.0.10:53, 172.16.0.11:53"]));
    expect(rule.verdict.reason).toMatch(/^Direct Connect through aws_dx_gateway\..* \(preferred over VPN for the same prefix\), VPN ml-prod-vpn-dc1 as backup/);
  });

  it("training reaches the partner endpoint; the isolated tier does not", () => {
    expect(json).toReach("training", PARTNER_SERVICE);
    expect(json).toAllowFlow("training", "partner-feature-store", 443);
    expect(json).not.toReach("isolated", PARTNER_SERVICE);
    expect(json).not.toAllowFlow("notebook", "partner-feature-store", 443);
  });
});

/** Every resource of `before` exists unchanged in `after`; returns the addresses `after` adds. */
function growthOnly(before: TfJson, after: EnvironmentConfig): string[] {
  const a = allResources(before);
  const b = allResources(synthEnvironment(after).json);
  for (const [address, body] of a) expect({ address, body: b.get(address) }).toEqual({ address, body });
  const added = [...b.keys()].filter((k) => !a.has(k));
  expect(added.length).toBeGreaterThan(0);
  return added;
}

describe("growing prod's hybrid parts only adds resources", () => {
  let base: TfJson | undefined;
  const prodJson = () => (base ??= synthEnvironment(prod).json);

  it("a second partner", () => {
    const added = growthOnly(prodJson(), {
      ...prod,
      partnerEndpoints: {
        partners: {
          ...prod.partnerEndpoints!.partners,
          "model-monitor": { serviceName: OTHER_SERVICE, purpose: "vendor model monitoring", ports: [443], callers: ["inference"] },
        },
      },
    });
    for (const address of added) expect(address).toContain("model-monitor");
    expect(added).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_vpc_endpoint\./), "aws_route53_record.zone-record-partner-model-monitor"]));
  });

  it("a second forwarding rule", () => {
    const forwardRules = { ...dns.forwardRules, research: { domain: "research.example.org", targets: [{ ip: "172.16.1.53" }] } };
    const added = growthOnly(prodJson(), withDns({ forwardRules }));
    expect(added).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_route53_resolver_rule\.hybrid-dns_rule-research_/),
        expect.stringMatching(/^aws_route53_resolver_rule_association\.hybrid-dns_rule-research-vpc_/),
        expect.stringMatching(/^aws_vpc_security_group_egress_rule\.hybrid-dns_outbound-udp-53-to-172-16-1-53-32_/),
      ]),
    );
  });

  it("a second listener, forwarding to a serving port of the inference group", () => {
    const listeners = { https: { port: 443 }, grpc: { port: 8443, targetPort: DEFAULT_SERVING_PORTS[0] } };
    const added = growthOnly(prodJson(), withLb({ listeners }));
    for (const address of added) expect(address).toMatch(/listener-grpc|8443/);
    expect(added).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_lb_listener\..*listener-grpc/)]));
    // The listener forwards to the existing target group: no second one.
    expect(added.filter((a) => a.startsWith("aws_lb_target_group."))).toEqual([]);
  });

  it("a record in the private zone", () => {
    const added = growthOnly(prodJson(), withRecords({ registry: { type: "CNAME", values: ["registry.corp.example.com"] } }));
    expect(added).toEqual([expect.stringMatching(/^aws_route53_record\.hybrid-dns_record-registry_/)]);
  });
});

describe("what staging and prod carry", () => {
  const types = (json: TfJson) => ({
    resolverEndpoints: resourceList(json, "aws_route53_resolver_endpoint").length,
    dxAssociations: resourceList(json, "aws_dx_gateway_association").length,
    partnerEndpoints: resourceList(json, "aws_vpc_endpoint").filter((e) => String(e.service_name).includes("vpce-svc")).length,
    loadBalancers: resourceList(json, "aws_lb").length,
  });

  it("staging: hybrid DNS and the partner endpoint, no Direct Connect, no load balancer", () => {
    expect(staging.directConnect).toBeUndefined();
    expect(types(environmentJson("staging"))).toEqual({ resolverEndpoints: 2, dxAssociations: 0, partnerEndpoints: 1, loadBalancers: 0 });
  });

  it("prod: all four", () => {
    expect(types(environmentJson("prod"))).toEqual({ resolverEndpoints: 2, dxAssociations: 1, partnerEndpoints: 1, loadBalancers: 1 });
  });

  it("prod's private zone names the load balancer (alias) and the partner endpoint (CNAME)", () => {
    const json = environmentJson("prod");
    const [zoneAddress] = Object.keys(json.resource!.aws_route53_zone);
    const zoneId = `\${aws_route53_zone.${zoneAddress}.zone_id}`;
    const [lbAddress] = Object.keys(json.resource!.aws_lb);
    const [endpointAddress] = Object.entries(json.resource!.aws_vpc_endpoint).find(([, e]) => e.service_name === featureStore.serviceName)!;
    const records = resourceList(json, "aws_route53_record");
    expect(records.find((r) => r.name === `inference.${zoneName}`)).toMatchObject({
      zone_id: zoneId,
      type: "A",
      alias: { name: `\${aws_lb.${lbAddress}.dns_name}`, zone_id: `\${aws_lb.${lbAddress}.zone_id}`, evaluate_target_health: true },
    });
    expect(records.find((r) => r.name === `feature-store.${zoneName}`)).toMatchObject({
      zone_id: zoneId,
      type: "CNAME",
      records: [`\${aws_vpc_endpoint.${endpointAddress}.dns_entry[0].dns_name}`],
    });
  });
});
