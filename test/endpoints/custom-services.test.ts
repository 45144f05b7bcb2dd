/**
 * Interface services the catalog lacks, described in the props
 * (`interface.customServices`): service names, policies, private DNS, the
 * checks at synth and stable addresses. A plain network view keeps every synth
 * small; one environment shows the props flow through the loader.
 */
import { Testing } from "cdktf";
import { MlVpcEndpoints, parseServiceName, type CustomInterfaceService, type VpcEndpointsConfig } from "../../modules/endpoints";
import type { IMlNetwork } from "../../modules/network";
import { dev, type EnvironmentConfig } from "../../environments";
import { allResources, byPath, existingNetwork, configIssues, environmentIssues, ref, resourceList, synthEnvironment, type TfJson } from "../helpers";

const AZS = ["a", "b"];
/** A network in `region`; with null, one that names no Region (the provider's applies). */
function network(region: string | null = "us-east-1"): IMlNetwork {
  const r = region ?? "us-east-1";
  return existingNetwork(
    { region: region ?? undefined },
    AZS.map((z) => ({ tier: "private", az: `${r}${z}` })),
  );
}

type Config = VpcEndpointsConfig<string>;
/** Synthesizes the endpoints of a plain network; custom-service names are plain strings here (as in an environment file). */
function synth(config: Config, region?: string | null): TfJson {
  const text = Testing.synthScope((scope) => {
    new MlVpcEndpoints(scope, "endpoints", { network: network(region), securityGroupIds: ["sg-0123456789abcdef0"], ...config });
  });
  return JSON.parse(text) as TfJson;
}
const issues = (config: Config, region?: string | null) => configIssues(() => synth(config, region));
const endpoint = (json: TfJson, key: string) => byPath(json, "aws_vpc_endpoint", `endpoints/interface-${key}`);
const withCustom = (custom: Record<string, CustomInterfaceService>, services: string[] = Object.keys(custom)): Config => ({
  interface: { services, customServices: custom },
});

const AGENTS: CustomInterfaceService = { suffix: "bedrock-agent-runtime", purpose: "Bedrock agents called from training jobs" };
/** A partner's endpoint service (the id format of "Share your services through AWS PrivateLink"). */
const PARTNER = "com.amazonaws.vpce.us-east-1.vpce-svc-0b245d99885c0eef6";

describe("custom interface services: what they synthesize", () => {
  it.each([["us-east-1"], ["eu-west-1"]])("a suffix becomes com.amazonaws.<region>.<suffix> in %s, with the catalog's placement", (region) => {
    const json = synth(withCustom({ "bedrock-agents": AGENTS }), region);
    const { name, body } = endpoint(json, "bedrock-agents");
    expect(body).toMatchObject({
      service_name: `com.amazonaws.${region}.bedrock-agent-runtime`,
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      security_group_ids: ["sg-0123456789abcdef0"],
      tags: { Name: "ml-test-bedrock-agents" },
    });
    const subnets = resourceList(json, "aws_vpc_endpoint_subnet_association")
      .filter((a) => a.vpc_endpoint_id === ref("aws_vpc_endpoint", name))
      .map((a) => a.subnet_id);
    expect(subnets.sort()).toEqual(network().subnets.map((s) => s.id));
  });

  it("a suffix follows the provider's Region when the network names none", () => {
    const { body } = endpoint(synth(withCustom({ "bedrock-agents": AGENTS }), null), "bedrock-agents");
    expect(body.service_name).toMatch(/^com\.amazonaws\.\$\{data\.aws_region\.[^}]+\.region\}\.bedrock-agent-runtime$/);
  });

  it("a full name is used as given: AWS services of every prefix, global ones, partner endpoint services", () => {
    const names = {
      "kendra-ranking": "aws.api.us-east-1.kendra-ranking",
      "cassandra-streams": "api.aws.us-east-1.cassandra-streams",
      "sagemaker-partner-app": "aws.sagemaker.us-east-1.partner-app",
      iam: "com.amazonaws.iam",
      "partner-feature-store": PARTNER,
    };
    const json = synth(withCustom(Object.fromEntries(Object.entries(names).map(([k, serviceName]) => [k, { serviceName, purpose: k }]))));
    for (const [key, serviceName] of Object.entries(names)) expect(endpoint(json, key).body.service_name).toBe(serviceName);
  });

  it("gets the catalog's data-perimeter policy, none with policySupported: false", () => {
    const json = synth({
      interface: {
        services: ["sts", "bedrock-agents", "no-policy"],
        customServices: { "bedrock-agents": AGENTS, "no-policy": { suffix: "appstream.api", purpose: "AppStream", policySupported: false } },
      },
    });
    const perimeter = endpoint(json, "bedrock-agents").body.policy as string;
    expect(JSON.parse(perimeter)).toEqual(JSON.parse(endpoint(json, "sts").body.policy as string));
    expect(JSON.parse(perimeter)).toMatchObject({ Statement: [{ Sid: "AllowPrincipalsOfThisAccount", Effect: "Allow" }] });
    expect(endpoint(json, "no-policy").body.policy).toBeUndefined();
  });

  it("takes policy.custom like a catalog service", () => {
    const own = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "bedrock:InvokeAgent", Resource: "*" }] };
    const json = synth({ ...withCustom({ "bedrock-agents": AGENTS }), policy: { custom: { "bedrock-agents": JSON.stringify(own) } } });
    expect(JSON.parse(endpoint(json, "bedrock-agents").body.policy as string)).toEqual(own);
  });

  it("a partner endpoint service: no policy (AWS grants full access) and no private DNS, unless asked", () => {
    const json = synth(
      withCustom({
        partner: { serviceName: PARTNER, purpose: "feature store" },
        verified: { serviceName: PARTNER.replace("0b245", "0c245"), purpose: "x", privateDns: true },
      }),
    );
    expect(endpoint(json, "partner").body).toMatchObject({ private_dns_enabled: false });
    expect(endpoint(json, "partner").body.policy).toBeUndefined();
    expect(endpoint(json, "verified").body.private_dns_enabled).toBe(true);
    expect(endpoint(json, "verified").body.policy).toBeUndefined();
  });

  it("privateDns: false turns private DNS off for an AWS service", () => {
    const json = synth(withCustom({ "bedrock-agents": { ...AGENTS, privateDns: false } }));
    expect(endpoint(json, "bedrock-agents").body.private_dns_enabled).toBe(false);
  });
});

describe("custom interface services: stable addresses", () => {
  it("adding a custom service (between catalog names) adds its endpoint and attachments and changes nothing else", () => {
    const before = allResources(synth({ interface: { services: ["essentials", "kms"] } }));
    const after = allResources(synth({ interface: { services: ["essentials", "bedrock-agents", "kms"], customServices: { "bedrock-agents": AGENTS } } }));
    for (const [address, body] of before) expect(after.get(address)).toEqual(body);
    const added = [...after.keys()].filter((a) => !before.has(a));
    expect(added.map((a) => a.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
      "aws_vpc_endpoint.endpoints_interface-bedrock-agents",
      "aws_vpc_endpoint_subnet_association.endpoints_interface-bedrock-agents-us-east-1a",
      "aws_vpc_endpoint_subnet_association.endpoints_interface-bedrock-agents-us-east-1b",
    ]);
  });
});

describe("custom interface services: rejected at synth, with the path", () => {
  const first = (config: Config) => issues(config)[0];
  const at = (name: string, custom: CustomInterfaceService, services?: string[]) => first(withCustom({ [name]: custom }, services));

  it("an unknown name in services points at customServices, not at a source file", () => {
    const issue = first({ interface: { services: ["sts", "bedrock-agent"] } });
    expect(issue).toMatchObject({ path: "interface.services[1]", value: "bedrock-agent", message: expect.stringMatching(/customServices/) });
    expect(issue.fix).toMatch(/interface\.customServices: \{ "bedrock-agent": \{ suffix:/);
    expect(issue.fix).not.toMatch(/\.ts\b/);
    // A custom name is a candidate for "did you mean".
    expect(first({ interface: { services: ["bedrock-agent"], customServices: { "bedrock-agents": AGENTS } } }).fix).toMatch(/did you mean "bedrock-agents"/);
  });

  it("a name that clashes with the catalog or a preset, or with a catalog endpoint's construct id", () => {
    expect(at("sts", { suffix: "sts", purpose: "x" })).toMatchObject({
      path: "interface.customServices.sts",
      message: expect.stringMatching(/catalog service/),
    });
    expect(at("essentials", { suffix: "x", purpose: "x" })).toMatchObject({
      path: "interface.customServices.essentials",
      message: expect.stringMatching(/preset/),
    });
    expect(at("sagemaker-api", { suffix: "x", purpose: "x" })).toMatchObject({
      path: "interface.customServices.sagemaker-api",
      message: expect.stringMatching(/same construct id \(interface-sagemaker-api\) as the catalog's "sagemaker\.api"/),
    });
    expect(first(withCustom({ "a.b": { suffix: "x", purpose: "x" }, "a-b": { suffix: "y", purpose: "y" } }))).toMatchObject({
      path: "interface.customServices.a-b",
      message: expect.stringMatching(/same construct id/),
    });
    expect(at("Bedrock Agents", AGENTS).path).toBe('interface.customServices["Bedrock Agents"]');
  });

  it("a service the catalog (or another custom entry) already reaches", () => {
    expect(at("my-sts", { suffix: "sts", purpose: "x" })).toMatchObject({
      path: "interface.customServices.my-sts",
      message: expect.stringMatching(/the catalog's "sts"/),
    });
    expect(at("my-notebook", { serviceName: "aws.sagemaker.us-east-1.notebook", purpose: "x" }).message).toMatch(/the catalog's "sagemaker\.notebook"/);
    expect(first(withCustom({ one: AGENTS, two: { serviceName: "com.amazonaws.us-east-1.bedrock-agent-runtime", purpose: "x" } })).message).toMatch(
      /the custom service "one"/,
    );
  });

  it.each([
    ["com.amazonaws.sts", "no Region"],
    ["com.amazonaws.us-east-1", "no service"],
    ["bedrock-agent-runtime", "a bare suffix"],
    ["com.amazonaws.us-east-1.Bedrock", "upper case"],
    ["https://bedrock-agent-runtime.us-east-1.amazonaws.com", "a URL"],
    ["com.amazonaws.vpce.us-east-1.vpce-svc-xyz", "a malformed endpoint service id"],
    ["vpce-svc-0b245d99885c0eef6", "an endpoint service id alone"],
    ["com.amazonaws.us-east-1..sts", "an empty label"],
  ])("a malformed serviceName: %s (%s)", (serviceName) => {
    expect(at("svc", { serviceName, purpose: "x" })).toMatchObject({
      path: "interface.customServices.svc.serviceName",
      value: serviceName,
      message: "is not a PrivateLink service name",
    });
  });

  it.each([
    ["com.amazonaws.us-east-1.sts", /full service name/],
    ["us-east-1.sts", /starts with a Region/],
    ["vpce-svc-0b245d99885c0eef6", /endpoint service id/],
    ["Bedrock", /not a service-name suffix/],
    ["bedrock..runtime", /not a service-name suffix/],
  ])("a malformed suffix: %s", (suffix, message) => {
    expect(at("svc", { suffix, purpose: "x" })).toMatchObject({
      path: "interface.customServices.svc.suffix",
      value: suffix,
      message: expect.stringMatching(message),
    });
  });

  it("both or neither of serviceName and suffix; an empty purpose", () => {
    expect(at("svc", { suffix: "x", serviceName: "com.amazonaws.us-east-1.x", purpose: "x" })).toMatchObject({
      path: "interface.customServices.svc",
      message: "needs exactly one of serviceName and suffix",
    });
    expect(at("svc", { purpose: "x" }).message).toBe("needs exactly one of serviceName and suffix");
    expect(at("svc", { suffix: "x", purpose: " " })).toMatchObject({ path: "interface.customServices.svc.purpose", message: "is empty" });
  });

  it("a full name in another Region than the network's", () => {
    const issue = at("svc", { serviceName: "com.amazonaws.eu-west-1.bedrock-agent-runtime", purpose: "x" });
    expect(issue).toMatchObject({
      path: "interface.customServices.svc.serviceName",
      message: expect.stringMatching(/Region eu-west-1.*network is in us-east-1/),
    });
    expect(issue.fix).toMatch(/com\.amazonaws\.us-east-1\.bedrock-agent-runtime, or give suffix/);
  });

  it("a policy on a partner endpoint service, or policy.custom on a service that takes none", () => {
    expect(at("partner", { serviceName: PARTNER, purpose: "x", policySupported: true })).toMatchObject({
      path: "interface.customServices.partner.policySupported",
      message: expect.stringMatching(/endpoint service/),
    });
    const ok = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });
    expect(first({ ...withCustom({ partner: { serviceName: PARTNER, purpose: "x" } }), policy: { custom: { partner: ok } } })).toMatchObject({
      path: "policy.custom.partner",
      message: expect.stringMatching(/does not accept endpoint policies/),
    });
  });

  it("an entry no service uses is an error (it would create nothing)", () => {
    expect(at("bedrock-agents", AGENTS, ["sts"])).toMatchObject({
      path: "interface.customServices.bedrock-agents",
      message: expect.stringMatching(/not listed in interface\.services/),
      fix: 'add "bedrock-agents" to interface.services, or remove the entry',
    });
  });

  it("every service-name shape the module accepts parses, with its Region", () => {
    expect(parseServiceName("com.amazonaws.us-gov-west-1.sts")).toEqual({ kind: "aws", region: "us-gov-west-1" });
    expect(parseServiceName(PARTNER)).toEqual({ kind: "endpoint-service", region: "us-east-1" });
    expect(parseServiceName("com.amazonaws.route53")).toEqual({ kind: "aws" });
    expect(parseServiceName("com.amazonaws.vpce.us-east-1.sts")).toBeUndefined();
  });
});

describe("custom interface services in an environment", () => {
  // Plain data as an environment file holds it; EnvironmentConfig types `services` as catalog names (see docs).
  const endpoints = {
    ...dev.endpoints,
    interface: {
      ...dev.endpoints?.interface,
      services: [...(dev.endpoints?.interface?.services ?? []), "bedrock-agents"],
      customServices: { "bedrock-agents": AGENTS },
    },
  };
  const env = { ...dev, endpoints } as unknown as EnvironmentConfig;

  it("flows through the loader into the stack", () => {
    const { json } = synthEnvironment(env);
    expect(endpoint(json, "bedrock-agents").body).toMatchObject({ service_name: "com.amazonaws.us-east-1.bedrock-agent-runtime", private_dns_enabled: true });
  });

  it("is checked by the loader, with the environment's path", () => {
    const bad = {
      ...env,
      endpoints: {
        ...endpoints,
        interface: { ...endpoints.interface, customServices: { "bedrock-agents": { suffix: "com.amazonaws.us-east-1.x", purpose: "x" } } },
      },
    };
    expect(environmentIssues(bad as unknown as EnvironmentConfig)).toContainEqual(
      expect.objectContaining({ path: "endpoints.interface.customServices.bedrock-agents.suffix", message: "is a full service name, not a suffix" }),
    );
  });
});

describe("custom interface services: types", () => {
  it("infers the custom names, so a name missing from customServices fails to compile", () => {
    const net = network();
    Testing.synthScope((scope) => {
      const ok = new MlVpcEndpoints(scope, "ok", {
        network: net,
        securityGroupIds: ["sg-0123456789abcdef0"],
        interface: { services: ["sts", "bedrock-agents"], customServices: { "bedrock-agents": AGENTS } },
      });
      const agents = ok.interface["bedrock-agents"];
      expect(agents).toBeDefined();
      const typo = () =>
        new MlVpcEndpoints(scope, "typo", {
          network: net,
          securityGroupIds: ["sg-0123456789abcdef0"],
          // @ts-expect-error "bedrock-agent" is neither a catalog service nor a key of customServices
          interface: { services: ["bedrock-agent"], customServices: { "bedrock-agents": AGENTS } },
        });
      expect(typo).toThrow(/customServices/);
    });
  });
});
