import { TerraformStack, Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  DEFAULT_SSL_POLICY,
  InferenceLoadBalancer,
  TLS12_SSL_POLICIES,
  acceptsBelowTls12,
  inferenceLoadBalancerConfigSchema,
  loadBalancerName,
  validateInferenceLoadBalancer,
  type InferenceLoadBalancerProps,
} from "../../modules/inference-ingress";
import { checkTerraformLimits } from "../../modules/core/aws-limits";
import { ConfigError, type ConfigIssue } from "../../modules/core/errors";
import { MlVpc, plannedNetwork, mlVpcPropsSchema, type IMlNetwork } from "../../modules/network";
import { SegmentedSecurityGroups } from "../../modules/security-groups";
import { runPolicies } from "../../analysis/policy";
import { allResources, byPath, configIssues, existingNetwork, ref, resourceList, resources, type TfJson } from "../helpers";

const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012";
const INFERENCE_SG = "sg-0123456789abcdef0";
const AZS = ["us-east-1a", "us-east-1b"];

/** A plain network with private and public subnets in two AZs (subnet ids subnet-...1 to ...4). */
const NETWORK = existingNetwork({}, [
  { tier: "private", az: AZS[0] },
  { tier: "private", az: AZS[1] },
  { tier: "public", az: AZS[0] },
  { tier: "public", az: AZS[1] },
]);
const subnetIds = (tier: string) => NETWORK.subnets.filter((s) => s.tier === tier).map((s) => s.id);

type Over = Partial<InferenceLoadBalancerProps>;
const props = (over: Over = {}): InferenceLoadBalancerProps => ({
  network: NETWORK,
  inferenceSecurityGroupId: INFERENCE_SG,
  certificateArn: CERT,
  ...over,
});

function synth(over: Over = {}): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    new AwsProvider(scope, "aws", { region: "us-east-1" });
    new InferenceLoadBalancer(scope, "ingress", props(over));
  });
  return { text, json: JSON.parse(text) as TfJson };
}

const build = (over: Over) => new InferenceLoadBalancer(new TerraformStack(Testing.app(), "s"), "ingress", props(over));

/** The issues the construct rejects the props with (constructed only, not synthesized). */
function issues(over: Over): ConfigIssue[] {
  return configIssues(() => build(over));
}

/** The issues, or none when the props are accepted. */
function issuesOrNone(over: Over): ConfigIssue[] {
  try {
    build(over);
    return [];
  } catch {
    return issues(over);
  }
}

const rules = (json: TfJson, kind: "ingress" | "egress") => resourceList(json, `aws_vpc_security_group_${kind}_rule`);

describe("InferenceLoadBalancer default name", () => {
  it("is <network>-inference, or <network>-inf when target group names would pass 32 characters", () => {
    expect(loadBalancerName({}, "ml-prod")).toBe("ml-prod-inference");
    expect(loadBalancerName({}, "ml-prod-capacity-block")).toBe("ml-prod-capacity-block-inf");
    expect(loadBalancerName({ name: "serving" }, "ml-prod-capacity-block")).toBe("serving");
    // Synthesized with a long network name, every name is within AWS's limits.
    const long = existingNetwork({ name: "ml-prod-capacity-block" }, [
      { tier: "private", az: AZS[0] },
      { tier: "private", az: AZS[1] },
    ]);
    expect(checkTerraformLimits(synth({ network: long }).json as never)).toEqual([]);
  });
});

describe("InferenceLoadBalancer target protocol changes", () => {
  it("turning targetTls on makes a new target group (name and address) that the listener moves to, so the old one can go", () => {
    const plain = synth().json;
    const tls = synth({ targetTls: true }).json;
    const [before] = Object.entries(resources(plain, "aws_lb_target_group"));
    const [after] = Object.entries(resources(tls, "aws_lb_target_group"));
    // AWS refuses a second group of the same name, and will not delete one a listener still uses.
    expect(before[0]).not.toBe(after[0]);
    expect([before[1].name, after[1].name]).toEqual(["ml-test-inference-8080", "ml-test-inference-8080-https"]);
    expect(resourceList(tls, "aws_lb_listener")[0].default_action).toEqual([
      expect.objectContaining({ target_group_arn: `\${aws_lb_target_group.${after[0]}.arn}` }),
    ]);
    expect(resourceList(synth({ type: "network" }).json, "aws_lb_target_group")[0].name).toBe("ml-test-inference-8080-tcp");
  });
});

describe("InferenceLoadBalancer placement", () => {
  const threeAz = existingNetwork({}, [
    { tier: "private", az: "us-east-1c" },
    { tier: "private", az: "us-east-1a" },
    { tier: "private", az: "us-east-1b" },
  ]);
  const subnetsOf = (over: Over) => resourceList(synth({ network: threeAz, ...over }).json, "aws_lb")[0].subnets as string[];
  const idOf = (az: string) => threeAz.subnets.find((s) => s.availabilityZone === az)!.id;

  it("spans every AZ of its tier, in AZ name order whatever the network's order", () => {
    expect(subnetsOf({})).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"].map(idOf));
  });

  it("pinned availabilityZones keep it where it is when the network gains an AZ", () => {
    expect(subnetsOf({ availabilityZones: ["us-east-1b", "us-east-1a"] })).toEqual(["us-east-1a", "us-east-1b"].map(idOf));
  });
});

describe("InferenceLoadBalancer defaults: an internal ALB", () => {
  const { text, json } = synth();
  const sg = byPath(json, "aws_security_group", "ingress/security-group");
  const tg = byPath(json, "aws_lb_target_group", "ingress/target-group-8080");

  it("is internal, in one private subnet per AZ, with its own security group", () => {
    expect(text).toHaveResourceWithProperties(Lb, {
      name: "ml-test-inference",
      load_balancer_type: "application",
      internal: true,
      subnets: subnetIds("private"),
      security_groups: [ref("aws_security_group", sg.name)],
      enable_deletion_protection: false,
    });
    expect(sg.body).toMatchObject({ name: "ml-test-inference-lb", vpc_id: NETWORK.vpcId, revoke_rules_on_delete: true });
    expect(sg.body.description).toMatch(/Inference ALB/);
  });

  it("drops invalid header fields and mitigates desync defensively; keeps AWS's idle timeout; no access logs", () => {
    const lb = resourceList(json, "aws_lb")[0];
    expect(lb).toMatchObject({ drop_invalid_header_fields: true, desync_mitigation_mode: "defensive" });
    expect(lb.idle_timeout).toBeUndefined();
    expect(lb.access_logs).toBeUndefined();
    expect(lb.enable_cross_zone_load_balancing).toBeUndefined();
  });

  it("listens with HTTPS on 443, the certificate and the TLS 1.2+ policy AWS recommends, forwarding to the target group", () => {
    expect(text).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: "HTTPS",
      certificate_arn: CERT,
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
      default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group", tg.name, "arn") }],
    });
    expect(DEFAULT_SSL_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
  });

  it("targets ip addresses on the serving port 8080 over HTTP, health-checked on /ping", () => {
    expect(text).toHaveResourceWithProperties(LbTargetGroup, {
      name: "ml-test-inference-8080",
      port: 8080,
      protocol: "HTTP",
      target_type: "ip",
      vpc_id: NETWORK.vpcId,
      health_check: { enabled: true, protocol: "HTTP", path: "/ping", port: "traffic-port", matcher: "200" },
    });
  });

  it("admits the VPC on 443, reaches only the inference group on 8080, and is the inference group's caller there", () => {
    const lbGroup = ref("aws_security_group", sg.name);
    expect(rules(json, "ingress")).toHaveLength(2);
    expect(rules(json, "ingress")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ security_group_id: lbGroup, ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.0.0.0/16" }),
        expect.objectContaining({ security_group_id: INFERENCE_SG, ip_protocol: "tcp", from_port: 8080, to_port: 8080, referenced_security_group_id: lbGroup }),
      ]),
    );
    expect(rules(json, "egress")).toEqual([
      expect.objectContaining({ security_group_id: lbGroup, ip_protocol: "tcp", from_port: 8080, to_port: 8080, referenced_security_group_id: INFERENCE_SG }),
    ]);
    for (const r of [...rules(json, "ingress"), ...rules(json, "egress")]) expect(r.description).toMatch(/\S/);
  });

  it("tags every resource with a Name, and every name is within AWS's limits", () => {
    for (const [address, body] of allResources(json))
      expect({ address, name: (body.tags as Record<string, string>)?.Name }).toEqual({ address, name: expect.any(String) });
    expect(checkTerraformLimits(json as Parameters<typeof checkTerraformLimits>[0])).toEqual([]);
  });
});

describe("InferenceLoadBalancer options", () => {
  it("a Network Load Balancer: TLS listener, TCP target group, cross-zone on, security group attached, no HTTP attributes", () => {
    const { text, json } = synth({ type: "network" });
    const lb = resourceList(json, "aws_lb")[0];
    expect(lb).toMatchObject({ load_balancer_type: "network", internal: true, enable_cross_zone_load_balancing: true, security_groups: [expect.any(String)] });
    expect(lb.drop_invalid_header_fields).toBeUndefined();
    expect(lb.desync_mitigation_mode).toBeUndefined();
    expect(text).toHaveResourceWithProperties(LbListener, { port: 443, protocol: "TLS", certificate_arn: CERT, ssl_policy: DEFAULT_SSL_POLICY });
    expect(resourceList(json, "aws_lb_target_group")[0]).toMatchObject({
      protocol: "TCP",
      target_type: "ip",
      port: 8080,
      health_check: { protocol: "HTTP", path: "/ping" },
    });
    expect(resourceList(synth({ type: "network", crossZoneLoadBalancing: false }).json, "aws_lb")[0].enable_cross_zone_load_balancing).toBe(false);
  });

  it("internet-facing: public subnets, 0.0.0.0/0 on 443 only, the MLN-SG-1 finding accepted with the named reason", () => {
    const reason = "public demo API for partners";
    const { json } = synth({ scheme: "internet-facing", internetFacingReason: reason });
    expect(resourceList(json, "aws_lb")[0]).toMatchObject({ internal: false, subnets: subnetIds("public") });
    const open = rules(json, "ingress").filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ from_port: 443, to_port: 443 });
    // The finding travels with the rule (the stack's own JSON keeps the `//` metadata Testing.synth strips).
    const stack = new TerraformStack(Testing.app(), "s");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new InferenceLoadBalancer(stack, "ingress", props({ scheme: "internet-facing", internetFacingReason: reason }));
    const result = runPolicies(stack, { skip: ["MLN-TAG-1"] });
    expect(result.errors).toEqual([]);
    expect(result.suppressed).toEqual([
      expect.objectContaining({ rule: "MLN-SG-1", path: "s/ingress/ingress-tcp-443-from-0-0-0-0-0", reason: expect.stringContaining(reason) }),
    ]);
    // Named client ranges instead of the internet: nothing to accept.
    const named = synth({ scheme: "internet-facing", internetFacingReason: reason, callerCidrs: ["198.51.100.0/24"] }).json;
    expect(
      rules(named, "ingress")
        .filter((r) => r.cidr_ipv4 !== undefined)
        .map((r) => r.cidr_ipv4),
    ).toEqual(["198.51.100.0/24"]);
  });

  it("listeners by name, each forwarding to the target group of its serving port", () => {
    const { json } = synth({ listeners: { https: { port: 443 }, grpc: { port: 8443, targetPort: 9000 }, admin: { port: 9443 } } });
    expect(
      resourceList(json, "aws_lb_target_group")
        .map((t) => [t.name, t.port])
        .sort(),
    ).toEqual([
      ["ml-test-inference-8080", 8080],
      ["ml-test-inference-9000", 9000],
    ]);
    const grpc = byPath(json, "aws_lb_listener", "ingress/listener-grpc").body;
    const tg9000 = byPath(json, "aws_lb_target_group", "ingress/target-group-9000").name;
    expect(grpc).toMatchObject({ port: 8443, default_action: [{ target_group_arn: ref("aws_lb_target_group", tg9000, "arn") }] });
    const admin = byPath(json, "aws_lb_listener", "ingress/listener-admin").body;
    expect(admin.default_action).toEqual([expect.objectContaining({ target_group_arn: expect.stringContaining("target-group-8080") })]);
    expect(
      rules(json, "egress")
        .map((r) => r.from_port)
        .sort(),
    ).toEqual([8080, 9000]);
    expect(
      rules(json, "ingress")
        .filter((r) => r.cidr_ipv4)
        .map((r) => r.from_port)
        .sort(),
    ).toEqual([443, 8443, 9443]);
  });

  it("name, serving port, policy, re-encryption, callers, deletion protection, access logs, health check, desync, idle timeout, tags", () => {
    const { json } = synth({
      name: "team-infer",
      servingPort: 8000,
      sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      targetTls: true,
      callerCidrs: ["10.0.0.0/16", "172.16.0.0/16"],
      callerGroups: { notebook: "sg-0aaaaaaaaaaaaaaaa" },
      deletionProtection: true,
      accessLogs: { bucket: "acme-lb-logs", prefix: "inference/prod" },
      healthCheck: { path: "/health", port: 8081, matcher: "200-299" },
      desyncMitigationMode: "strictest",
      idleTimeoutSeconds: 300,
      tags: { Team: "ml" },
    });
    const lb = resourceList(json, "aws_lb")[0];
    expect(lb).toMatchObject({
      name: "team-infer",
      enable_deletion_protection: true,
      access_logs: { bucket: "acme-lb-logs", prefix: "inference/prod", enabled: true },
      desync_mitigation_mode: "strictest",
      idle_timeout: 300,
      tags: { Name: "team-infer", Team: "ml" },
    });
    expect(resourceList(json, "aws_lb_target_group")[0]).toMatchObject({
      name: "team-infer-8000-https",
      port: 8000,
      protocol: "HTTPS",
      health_check: { protocol: "HTTPS", path: "/health", port: "8081", matcher: "200-299" },
    });
    expect(resourceList(json, "aws_lb_listener")[0].ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
    const ingress = rules(json, "ingress");
    expect(ingress.filter((r) => r.from_port === 443).map((r) => r.cidr_ipv4 ?? r.referenced_security_group_id)).toEqual([
      "10.0.0.0/16",
      "172.16.0.0/16",
      "sg-0aaaaaaaaaaaaaaaa",
    ]);
    // The health check port is opened like a serving port: out from the load balancer, into the inference group from it.
    expect(
      rules(json, "egress")
        .filter((r) => r.security_group_id !== "sg-0aaaaaaaaaaaaaaaa")
        .map((r) => r.from_port)
        .sort(),
    ).toEqual([8000, 8081]);
    expect(
      ingress
        .filter((r) => r.security_group_id === INFERENCE_SG)
        .map((r) => r.from_port)
        .sort(),
    ).toEqual([8000, 8081]);
    for (const [, body] of allResources(json)) expect(body.tags).toMatchObject({ Team: "ml" });
    // NLB re-encryption: TLS to the targets.
    expect(resourceList(synth({ type: "network", targetTls: true }).json, "aws_lb_target_group")[0]).toMatchObject({
      protocol: "TLS",
      health_check: { protocol: "HTTPS" },
    });
  });

  it("caller groups alone replace the VPC default; a newer policy passes with a reason", () => {
    const { json } = synth({ callerGroups: { gateway: "sg-0bbbbbbbbbbbbbbbb" } });
    expect(rules(json, "ingress").filter((r) => r.cidr_ipv4 !== undefined)).toEqual([]);
    // The caller's own group may call the load balancer (segmented groups allow no egress they were not given).
    expect(resourceList(json, "aws_vpc_security_group_egress_rule").filter((r) => r.security_group_id === "sg-0bbbbbbbbbbbbbbbb")).toEqual([
      expect.objectContaining({
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        referenced_security_group_id: expect.stringContaining("aws_security_group."),
      }),
    ]);
    const newer = synth({
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2027-01",
      unlistedSslPolicyReason: "new AWS policy, TLS 1.2+ per the AWS table",
    }).json;
    expect(resourceList(newer, "aws_lb_listener")[0].ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2027-01");
  });

  it("works with an MlVpc and SegmentedSecurityGroups: the inference group's id is referenced", () => {
    const text = Testing.synthScope((scope) => {
      const network = new MlVpc(scope, "network", {
        name: "ml-test",
        cidr: "10.0.0.0/16",
        availabilityZones: AZS,
        tiers: { private: { prefixLength: 20 } },
        flowLogs: { destination: "none" },
      });
      const groups = new SegmentedSecurityGroups(scope, "sg", { network, prefixListIds: { s3: "pl-63a5400a", dynamodb: "pl-02cd2c6b" } });
      new InferenceLoadBalancer(scope, "ingress", { network, inferenceSecurityGroupId: groups.ids.inference, certificateArn: CERT });
    });
    const json = JSON.parse(text) as TfJson;
    const inference = byPath(json, "aws_security_group", "sg/inference").name;
    const lbGroup = byPath(json, "aws_security_group", "ingress/security-group").name;
    expect(byPath(json, "aws_vpc_security_group_ingress_rule", "ingress/inference-ingress-tcp-8080-from-lb").body).toMatchObject({
      security_group_id: ref("aws_security_group", inference),
      referenced_security_group_id: ref("aws_security_group", lbGroup),
    });
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: "ml-test-inference-lb" });
    expect([...(resourceList(json, "aws_lb")[0].subnets as string[])].sort()).toEqual(
      Object.keys(resources(json, "aws_subnet"))
        .map((n) => ref("aws_subnet", n))
        .sort(),
    );
  });
});

describe("InferenceLoadBalancer growth", () => {
  const before = allResources(synth({ callerCidrs: ["10.0.0.0/16"] }).json);

  it("adding a listener, a serving port, a caller range and a caller group changes no existing resource", () => {
    const after = allResources(
      synth({
        callerCidrs: ["10.0.0.0/16", "172.16.0.0/16"],
        callerGroups: { notebook: "sg-0aaaaaaaaaaaaaaaa" },
        listeners: { https: { port: 443 }, grpc: { port: 8443, targetPort: 9000 } },
      }).json,
    );
    for (const [address, body] of before) expect({ address, body: after.get(address) }).toEqual({ address, body });
    const added = [...after.keys()].filter((k) => !before.has(k)).sort();
    expect(added).toEqual([
      expect.stringMatching(/^aws_lb_listener\.ingress_listener-grpc_/),
      expect.stringMatching(/^aws_lb_target_group\.ingress_target-group-9000_/),
      expect.stringMatching(/^aws_vpc_security_group_egress_rule\.ingress_egress-tcp-9000-to-inference_/),
      expect.stringMatching(/^aws_vpc_security_group_egress_rule\.ingress_notebook-egress-tcp-443-to-lb_/),
      expect.stringMatching(/^aws_vpc_security_group_egress_rule\.ingress_notebook-egress-tcp-8443-to-lb_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.ingress_inference-ingress-tcp-9000-from-lb_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.ingress_ingress-tcp-443-from-172-16-0-0-16_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.ingress_ingress-tcp-443-from-notebook_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.ingress_ingress-tcp-8443-from-10-0-0-0-16_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.ingress_ingress-tcp-8443-from-172-16-0-0-16_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.ingress_ingress-tcp-8443-from-notebook_/),
    ]);
  });

  it("adding a listener on the default serving port adds only the listener and its caller rules", () => {
    const after = allResources(synth({ callerCidrs: ["10.0.0.0/16"], listeners: { https: { port: 443 }, alt: { port: 9443 } } }).json);
    for (const [address, body] of before) expect(after.get(address)).toEqual(body);
    expect([...after.keys()].filter((k) => !before.has(k)).sort()).toEqual([
      expect.stringMatching(/^aws_lb_listener\.ingress_listener-alt_/),
      expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.ingress_ingress-tcp-9443-from-10-0-0-0-16_/),
    ]);
  });
});

describe("InferenceLoadBalancer rejects bad input", () => {
  const at = (over: Over, path: string) => issuesOrNone(over).filter((i) => i.path === path);
  const one = (over: Over, path: string, message: RegExp) =>
    expect(at(over, path)).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);

  it("availabilityZones: AZs of the tier only, two at least", () => {
    one({ availabilityZones: [AZS[0], "us-east-1c"] }, "availabilityZones[1]", /has no private subnet in this network/);
    expect(issues({ availabilityZones: [AZS[0]] }).find((i) => i.path === "availabilityZones")?.message).toMatch(
      /needs private subnets in at least 2 availability zones.*it names us-east-1a/,
    );
  });

  it("internet-facing without a reason, and a reason on an internal load balancer", () => {
    one({ scheme: "internet-facing" }, "internetFacingReason", /is required .* internet-facing/);
    one({ scheme: "internet-facing", internetFacingReason: "   demo   " }, "internetFacingReason", /is required/);
    one({ internetFacingReason: "public demo API" }, "internetFacingReason", /is set while scheme is internal/);
  });

  it("subnets: an ALB needs two AZs of its tier; internet-facing needs a public tier", () => {
    const oneAz = existingNetwork({}, [{ tier: "private", az: AZS[0] }]);
    one(
      { network: oneAz },
      "scheme",
      /needs private subnets in at least 2 availability zones .* Application Load Balancer spans two zones.*the network has us-east-1a/,
    );
    expect(issues({ network: oneAz }).find((i) => i.path === "scheme")?.fix).toMatch(/a second availability zone/);
    one({ network: oneAz, scheme: "internet-facing", internetFacingReason: "public demo API" }, "scheme", /needs public subnets .* the network has none/);
    one({ network: oneAz, type: "network" }, "scheme", /at least 2 availability zones .* survive the loss of a zone/);
  });

  it("names beyond AWS's limits: 32 characters, letters, digits and hyphens, not internal-", () => {
    one({ name: "a-very-long-inference-load-balancer" }, "name", /makes the load balancer name .* is 35 characters; a load balancer name takes at most 32/);
    one({ name: "internal-ml" }, "name", /must not start with "internal-"/);
    one({ name: "ml_infer" }, "name", /has characters a load balancer name does not allow/);
    // The default name from a long network name, and a target group name that outgrows 32.
    const long = existingNetwork(
      { name: "research-platform-production" },
      NETWORK.subnets.map((s) => ({ tier: s.tier, az: s.availabilityZone })),
    );
    // The default is shortened to <network>-inf first; when even that is too long, the fix is to name it.
    one({ network: long }, "name", /target group name "research-platform-production-inf-8080", which is 37 characters/);
    expect(issues({ network: long })[0].fix).toMatch(/set name to one of at most 26 characters/);
    one({ name: "research-platform-inferences" }, "name", /target group name "research-platform-inferences-8080", which is 33 characters/);
  });

  it("certificate ARN: shape, ACM only, the network's Region", () => {
    one({ certificateArn: "my-cert" }, "certificateArn", /is not an ACM certificate ARN/);
    one({ certificateArn: "arn:aws:iam::111122223333:server-certificate/legacy" }, "certificateArn", /IAM server certificate/);
    one({ certificateArn: CERT.replace("us-east-1", "eu-west-1") }, "certificateArn", /is a certificate in eu-west-1, but the load balancer is in us-east-1/);
    // Without a known Region, any Region passes.
    const noRegion = existingNetwork(
      { region: undefined },
      NETWORK.subnets.map((s) => ({ tier: s.tier, az: s.availabilityZone })),
    );
    expect(at({ network: noRegion, certificateArn: CERT.replace("us-east-1", "eu-west-1") }, "certificateArn")).toEqual([]);
  });

  it("security policy: TLS 1.0/1.1 refused even with a reason; unknown names need the reason; custom names refused", () => {
    one({ sslPolicy: "ELBSecurityPolicy-2016-08" }, "sslPolicy", /accepts TLS 1\.0 or 1\.1/);
    one({ sslPolicy: "ELBSecurityPolicy-TLS13-1-0-2021-06", unlistedSslPolicyReason: "clients need TLS 1.0" }, "sslPolicy", /accepts TLS 1\.0 or 1\.1/);
    one({ sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2027-01" }, "sslPolicy", /is not a TLS 1\.2\+ policy this library knows/);
    one({ sslPolicy: "my-policy" }, "sslPolicy", /is not a predefined ELB security policy/);
    one({ unlistedSslPolicyReason: "just in case it is needed" }, "unlistedSslPolicyReason", /is set while sslPolicy is a listed/);
    for (const p of TLS12_SSL_POLICIES) expect({ p, weak: acceptsBelowTls12(p) }).toEqual({ p, weak: false });
    for (const p of [
      "ELBSecurityPolicy-2015-05",
      "ELBSecurityPolicy-FS-2018-06",
      "ELBSecurityPolicy-FS-1-1-2019-08",
      "ELBSecurityPolicy-TLS-1-1-2017-01",
      "ELBSecurityPolicy-TLS-1-0-2015-04",
      "ELBSecurityPolicy-TLS13-1-1-2021-06",
    ])
      expect({ p, weak: acceptsBelowTls12(p) }).toEqual({ p, weak: true });
  });

  it("ports: 1-65535, one listener per port, named listeners, at least one", () => {
    one({ servingPort: 0 }, "servingPort", /is not a port/);
    one({ listeners: { https: { port: 70000 } } }, "listeners.https.port", /is not a port/);
    one({ listeners: { https: { port: 443, targetPort: 8080.5 } } }, "listeners.https.targetPort", /is not a port/);
    one({ listeners: { https: { port: 443 }, again: { port: 443 } } }, "listeners.again.port", /is already the port of listener "https"/);
    one({ listeners: { HTTPS: { port: 443 } } }, "listeners.HTTPS", /is not a short lower-case name/);
    one({ listeners: {} }, "listeners", /has no listener/);
    one({ healthCheck: { port: -1 } }, "healthCheck.port", /is not a port/);
  });

  it("callers: valid IPv4 CIDRs, never 0.0.0.0/0 on an internal load balancer, the internet on 443 only, someone at all", () => {
    one({ callerCidrs: ["10.0.0.1/16"] }, "callerCidrs[0]", /host bits set/);
    one({ callerCidrs: ["2001:db8::/32"] }, "callerCidrs[0]", /IPv6/);
    one({ callerCidrs: ["0.0.0.0/0"] }, "callerCidrs[0]", /admits every address to an internal load balancer/);
    one(
      { scheme: "internet-facing", internetFacingReason: "public demo API", listeners: { https: { port: 443 }, alt: { port: 8443 } } },
      "listeners.alt.port",
      /opens port 8443 to the whole internet .* on 443 only/,
    );
    one({ callerCidrs: [] }, "callerCidrs", /nothing could reach the load balancer/);
    one({ callerGroups: { notebook: "notebook" } }, "callerGroups.notebook", /is not a security group id/);
    one({ callerGroups: { "my group": "sg-0aaaaaaaaaaaaaaaa" } }, "callerGroups.my group", /is not a name/);
    one({ inferenceSecurityGroupId: "inference" }, "inferenceSecurityGroupId", /is not a security group id/);
  });

  it("access logs: a bucket name (not an ARN) by S3's rules, a prefix without AWSLogs", () => {
    one({ accessLogs: { bucket: "Acme_Logs" } }, "accessLogs.bucket", /lower-case letters/);
    one({ accessLogs: { bucket: "arn:aws:s3:::acme-logs" } }, "accessLogs.bucket", /is an ARN/);
    one({ accessLogs: { bucket: "acme-logs", prefix: "lb/AWSLogs" } }, "accessLogs.prefix", /includes AWSLogs/);
  });

  it("health check: an absolute path; codes within the type's range", () => {
    one({ healthCheck: { path: "ping" } }, "healthCheck.path", /is not an absolute path/);
    one({ healthCheck: { matcher: "200-599" } }, "healthCheck.matcher", /outside 200-499/);
    one({ healthCheck: { matcher: "ok" } }, "healthCheck.matcher", /is not an HTTP code/);
    one({ healthCheck: { matcher: "300-200" } }, "healthCheck.matcher", /starts after it ends/);
    expect(at({ type: "network", healthCheck: { matcher: "200-599" } }, "healthCheck.matcher")).toEqual([]);
  });

  it("options of the other type: HTTP settings on an NLB, cross-zone on an ALB, idle timeout range", () => {
    one({ type: "network", desyncMitigationMode: "strictest" }, "desyncMitigationMode", /HTTP setting of Application Load Balancers/);
    one({ type: "network", idleTimeoutSeconds: 120 }, "idleTimeoutSeconds", /is an Application Load Balancer setting/);
    one({ crossZoneLoadBalancing: false }, "crossZoneLoadBalancing", /always balances across zones/);
    one({ idleTimeoutSeconds: 5000 }, "idleTimeoutSeconds", /from 1 to 4000/);
  });

  it("schema: unknown fields, wrong types, bad tags; every problem at once, naming the construct", () => {
    one({ listners: {} } as Over, "listners", /is not a known field/);
    expect(issues({ listners: {} } as Over)[0].fix).toBe('did you mean "listeners"?');
    one({ servingPort: "8080" } as unknown as Over, "servingPort", /expected a number/);
    one({ tags: { "aws:owner": "x" } }, "tags.aws:owner", /starts with aws:/);
    let err: unknown;
    try {
      new InferenceLoadBalancer(
        new TerraformStack(Testing.app(), "s"),
        "ingress",
        props({ servingPort: 0, certificateArn: "x", sslPolicy: "ELBSecurityPolicy-2016-08" }),
      );
    } catch (e) {
      err = e;
    }
    expect(ConfigError.isConfigError(err)).toBe(true);
    const e = err as ConfigError;
    expect(e.message).toMatch(/^Invalid configuration for InferenceLoadBalancer "s\/ingress": 3 problems/);
    expect(e.issues.map((i) => i.path).sort()).toEqual(["certificateArn", "servingPort", "sslPolicy"]);
  });

  it("a network object is checked before anything is placed in it", () => {
    one({ network: { ...NETWORK, vpcId: "vpc-1" } as IMlNetwork }, "network.vpcId", /is not a VPC id/);
  });
});

describe("validateInferenceLoadBalancer without constructing anything", () => {
  const vpc = mlVpcPropsSchema.parse({
    name: "ml-plan",
    cidr: "10.1.0.0/16",
    region: "us-east-1",
    availabilityZones: AZS,
    tiers: { private: { prefixLength: 20 } },
  });
  const planned = plannedNetwork(vpc);
  const cfg = (over: Record<string, unknown> = {}) => inferenceLoadBalancerConfigSchema.parse({ certificateArn: CERT, ...over });

  it("accepts a planned network, and checks against the inference group's own rules", () => {
    expect(validateInferenceLoadBalancer(cfg(), planned)).toEqual([]);
    const view = { servingPorts: [8080, { from: 9000, to: 9010 }], callerGroups: [], callerCidrs: [] };
    expect(validateInferenceLoadBalancer(cfg({ listeners: { grpc: { port: 443, targetPort: 9005 } } }), planned, { inferenceGroup: view })).toEqual([]);
    expect(validateInferenceLoadBalancer(cfg({ servingPort: 8000 }), planned, { inferenceGroup: view })).toEqual([
      expect.objectContaining({
        path: "servingPort",
        value: 8000,
        message: expect.stringMatching(/is not a serving port of the inference group \(8080, 9000-9010\)/),
      }),
    ]);
    expect(validateInferenceLoadBalancer(cfg(), planned, { inferenceGroup: { ...view, callerGroups: ["notebook"], callerCidrs: ["10.9.0.0/16"] } })).toEqual([
      expect.objectContaining({
        path: "inferenceSecurityGroupId",
        message: expect.stringMatching(/also admits group notebook, 10\.9\.0\.0\/16 .* must be its only caller/),
      }),
    ]);
  });

  it("finds the missing public tier of a planned network", () => {
    expect(validateInferenceLoadBalancer(cfg({ scheme: "internet-facing", internetFacingReason: "public demo API" }), planned).map((i) => i.path)).toEqual([
      "scheme",
    ]);
  });
});
