import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RULES, formatFinding, runPolicies } from "../../analysis/policy";
import { RULE_IDS } from "../../modules/core/rule-ids";
import { ENVIRONMENTS, prod, type EnvironmentConfig } from "../../environments";
import { synthAll } from "../../main";
import { main as check } from "../../bin/check";
import { Testing } from "cdktf";
import { FIXTURES, balancer, doc, dxAssociation, https, resolverIn } from "./fixtures";
import { ConfigError } from "../../modules/core";
import { environmentJson } from "../helpers";

const only = (ruleId: string, json: Parameters<typeof runPolicies>[0]) => runPolicies(json).findings.filter((f) => f.rule === ruleId);

describe("the rule pack", () => {
  it("every rule has an id, a title, a fix and a fixture pair; ids match the shared catalog", () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([...RULE_IDS].sort());
    for (const r of RULES) {
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.fix.length).toBeGreaterThan(5);
      expect(FIXTURES[r.id]).toBeDefined();
    }
  });

  it("only advice that depends on the user's resources is a warning: access logs and deletion protection", () => {
    expect(RULES.filter((r) => r.severity === "warning").map((r) => r.id)).toEqual(["MLN-ELB-4", "MLN-ELB-6"]);
  });

  it.each(RULE_IDS.map((id) => [id]))("%s: the passing fixture passes and the failing one fails", (id) => {
    expect(only(id, FIXTURES[id].pass)).toEqual([]);
    const failures = only(id, FIXTURES[id].fail);
    expect(failures.length).toBeGreaterThan(0);
    const severity = RULES.find((r) => r.id === id)!.severity;
    for (const f of failures) expect(f).toMatchObject({ rule: id, severity, address: expect.stringMatching(/^aws_[a-z0-9_]+\.[\w-]+$/) });
  });

  it.each([
    ["MLN-SG-1", "ingress", { protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }],
    ["MLN-SG-2", "ingress", { protocol: "tcp", from_port: 20, to_port: 25, ipv6_cidr_blocks: ["::/0"] }],
    ["MLN-SG-3", "egress", { protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["0.0.0.0/0"] }],
  ] as const)("%s catches the rule whether it is inline or a legacy aws_security_group_rule", (id, kind, rule) => {
    const group = { name: "g", description: "group", vpc_id: "vpc-1" };
    const inline = only(id, doc({ aws_security_group: { g: { ...group, [kind]: [{ ...rule, description: "r" }] } } }));
    expect(inline).toEqual([expect.objectContaining({ address: "aws_security_group.g" })]);
    const legacy = only(
      id,
      doc({
        aws_security_group: { g: group },
        aws_security_group_rule: { r: { ...rule, type: kind, security_group_id: "${aws_security_group.g.id}", description: "r" } },
      }),
    );
    expect(legacy).toEqual([expect.objectContaining({ address: "aws_security_group_rule.r" })]);
  });

  it("MLN-TAG-2 checks the group's propagation and the template's tag specifications each on its own", () => {
    const TAGS = { Environment: "sandbox", Project: "p", Owner: "o@example.com", CostCenter: "c", Compliance: "x" };
    const group = (propagate: boolean, templateRef: Record<string, unknown>) => ({
      g: { min_size: 0, max_size: 1, ...templateRef, tag: Object.entries(TAGS).map(([key, value]) => ({ key, value, propagate_at_launch: propagate })) },
    });
    const template = (tags: Record<string, string>) => ({
      t: { name: "t", tag_specifications: ["instance", "volume", "network-interface"].map((resource_type) => ({ resource_type, tags })) },
    });
    const direct = { launch_template: { id: "${aws_launch_template.t.id}" } };
    const mixed = { mixed_instances_policy: { launch_template: { launch_template_specification: { launch_template_name: "${aws_launch_template.t.name}" } } } };
    expect(only("MLN-TAG-2", doc({ aws_launch_template: template(TAGS), aws_autoscaling_group: group(false, direct) }))[0].message).toMatch(
      /does not propagate Environment/,
    );
    expect(only("MLN-TAG-2", doc({ aws_launch_template: template({ Name: "n" }), aws_autoscaling_group: group(true, direct) }))[0].message).toMatch(
      /launch template tags no instance, volume, network-interface/,
    );
    expect(only("MLN-TAG-2", doc({ aws_launch_template: template({ Name: "n" }), aws_autoscaling_group: group(true, mixed) }))[0].message).toMatch(
      /launch template tags no/,
    );
    expect(only("MLN-TAG-2", doc({ aws_launch_template: template(TAGS), aws_autoscaling_group: group(true, mixed) }))).toEqual([]);
  });

  it("MLN-VPN-1 names the weak DH groups, including the 1024-bit RFC 5114 group 22", () => {
    const pass = FIXTURES["MLN-VPN-1"].pass.resource!.aws_vpn_connection.c;
    const [finding] = only("MLN-VPN-1", doc({ aws_vpn_connection: { c: { ...pass, tunnel2_phase2_dh_group_numbers: [14, 22] } } }));
    expect(finding.message).toMatch(/tunnel2 phase2 allows weak DH groups 22/);
    expect(only("MLN-VPN-1", doc({ aws_vpn_connection: { c: { ...pass, tunnel1_phase1_dh_group_numbers: [] } } }))[0].message).toMatch(/defaults/);
  });

  it("maps rules to public controls where they exist", () => {
    const byId = Object.fromEntries(RULES.map((r) => [r.id, r.controls]));
    expect(byId["MLN-VPC-1"]).toEqual({ checkov: "CKV2_AWS_11", securityHub: "EC2.6", cdkNag: "AwsSolutions-VPC7" });
    expect(byId["MLN-SM-2"].securityHub).toBe("SageMaker.1");
    expect(byId["MLN-EC2-3"].securityHub).toBe("EC2.17");
  });

  it("interface endpoints need two AZs only in production", () => {
    const oneAz = FIXTURES["MLN-VPCE-2"].fail;
    expect(only("MLN-VPCE-2", { ...oneAz, provider: doc({}).provider })).toEqual([]);
    expect(runPolicies(oneAz, { environment: "dev" }).findings.filter((f) => f.rule === "MLN-VPCE-2")).toEqual([]);
  });
});

describe("suppressions", () => {
  const withSuppression = (json: ReturnType<typeof doc>, type: string, rule: string, reason: string) => {
    const copy = JSON.parse(JSON.stringify(json));
    for (const body of Object.values(copy.resource[type]) as Record<string, unknown>[]) body["//"] = { suppressions: [{ rule, reason }] };
    return copy;
  };

  it("move a finding to the suppressed list with its reason", () => {
    const result = runPolicies(withSuppression(FIXTURES["MLN-EC2-3"].fail, "aws_launch_template", "MLN-EC2-3", "EFA needs one interface per network card"));
    expect(result.findings.filter((f) => f.rule === "MLN-EC2-3")).toEqual([]);
    expect(result.suppressed).toEqual([expect.objectContaining({ rule: "MLN-EC2-3", reason: "EFA needs one interface per network card" })]);
  });

  it("cannot silence SSH or RDP open to the internet", () => {
    const result = runPolicies(withSuppression(FIXTURES["MLN-SG-2"].fail, "aws_security_group", "MLN-SG-2", "we really need RDP from anywhere"));
    expect(result.errors.map((f) => f.rule)).toContain("MLN-SG-2");
  });
});

describe("the environments pass the pack", () => {
  // The JSON npm run synth writes (the global setup's), suppressions and all.
  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: zero unsuppressed errors, every suppression with a reason", (name) => {
    const result = runPolicies(environmentJson(name) as never);
    expect(result.errors.map(formatFinding)).toEqual([]);
    for (const s of result.suppressed) expect(s.reason.length).toBeGreaterThanOrEqual(10);
  });

  it("prod records why its EFA launch template has 33 interfaces", () => {
    const result = runPolicies(environmentJson("prod") as never);
    expect(result.suppressed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: "MLN-EC2-3",
          path: "prod/efa-llm/launch-template",
          reason: expect.stringMatching(/ENA primary and one EFA-only interface per network card: 33 on p5\.48xlarge/),
        }),
      ]),
    );
  });
});

describe("synth-time enforcement", () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "enforce-"));
  const noFlowLogs: EnvironmentConfig = { ...prod, network: { ...prod.network, flowLogs: { destination: "none" } } };

  it("a stack with a violation fails synth, naming rule, resource, construct path and fix, and writes nothing", () => {
    const outdir = tmp();
    expect(() => synthAll([noFlowLogs], outdir)).toThrow(
      /MLN-VPC-1 aws_vpc\.network_vpc_[0-9A-F]+ \(prod\/network\/vpc\): has no flow log\. .*Fix: enable flow logs/,
    );
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [e.name]));
    expect(files(outdir)).toEqual([]);
  });

  it("the same stack synthesizes once the finding is suppressed with a reason, and the JSON carries the suppression", () => {
    const outdir = tmp();
    const suppressed: EnvironmentConfig = {
      ...noFlowLogs,
      suppressions: [{ rule: "MLN-VPC-1", construct: "network/vpc", reason: "flow logs go to the central network account's Transit Gateway logs" }],
    };
    synthAll([suppressed], outdir);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "prod", "cdk.tf.json"), "utf8"));
    const vpcBody = Object.values(json.resource.aws_vpc)[0] as { "//": { suppressions: unknown[] } };
    expect(vpcBody["//"].suppressions).toEqual([{ rule: "MLN-VPC-1", reason: "flow logs go to the central network account's Transit Gateway logs" }]);
  });

  it("rejects suppressions without a reason, of unsuppressible rules, or of unknown constructs", () => {
    const bad = (s: EnvironmentConfig["suppressions"]) => () => synthAll([{ ...noFlowLogs, suppressions: s }], tmp());
    expect(bad([{ rule: "MLN-VPC-1", construct: "network/vpc", reason: "ok" }])).toThrow(/suppressions\[0\]\.reason: is shorter than 10 characters/);
    expect(bad([{ rule: "MLN-SG-2", construct: "network", reason: "we need it for the demo" }])).toThrow(/cannot be suppressed/);
    expect(bad([{ rule: "MLN-VPC-1", construct: "netwrk/vpc", reason: "a reason long enough" }])).toThrow(/names no construct of the stack[\s\S]*network/);
  });
});

describe("npm run check", () => {
  let out = "";
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  afterAll(() => spy.mockRestore());
  beforeEach(() => (out = ""));

  it("prints a clean table for prod and exits 0", () => {
    expect(check(["prod"])).toBe(0);
    expect(out).toMatch(/Findings: none/);
    expect(out).toMatch(/Suppressed \(accepted with a reason\)/);
    expect(out).toMatch(/0 unsuppressed error\(s\)/);
  });

  it("fails a hand-made .tf.json with an open SSH rule, naming the rule", () => {
    expect(check([path.join(__dirname, "../fixtures/open-ssh.tf.json")])).toBe(1);
    expect(out).toMatch(/MLN-SG-2/);
    expect(out).toMatch(/aws_vpc_security_group_ingress_rule\./);
    expect(out).toMatch(/open_ssh/);
  });

  it("--json gives CI a machine-readable result", () => {
    expect(check([path.join(__dirname, "../fixtures/open-ssh.tf.json"), "--json"])).toBe(1);
    const parsed = JSON.parse(out);
    expect(parsed.errors.map((e: { rule: string }) => e.rule).sort()).toEqual(["MLN-SG-1", "MLN-SG-2"]);
  });

  it("names the fix for an unknown target", () => {
    expect(() => check(["not-an-environment"])).toThrow(`neither an environment (${ENVIRONMENTS.map((e) => e.name).join(", ")}) nor a file`);
  });
});

describe("suppress() on constructs", () => {
  const { suppress } = jest.requireActual("../../modules/core/suppressions") as typeof import("../../modules/core/suppressions");
  const { Vpc } = jest.requireActual("@cdktf/provider-aws/lib/vpc") as typeof import("@cdktf/provider-aws/lib/vpc");

  it("attaches a typed suppression with its reason to every resource below the construct", () => {
    const { TerraformStack } = jest.requireActual("cdktf") as typeof import("cdktf");
    const stack = new TerraformStack(Testing.app(), "s");
    const a = new Vpc(stack, "a", { cidrBlock: "10.0.0.0/16" });
    new Vpc(stack, "b", { cidrBlock: "10.1.0.0/16" });
    suppress(stack, "MLN-VPC-1", "flow logs are collected by the central network account");
    suppress(a, "MLN-TAG-1", "tags are applied by the landing zone pipeline");
    const vpcs = (stack.toTerraform() as { resource: { aws_vpc: Record<string, { "//": { suppressions: { rule: string }[] } }> } }).resource.aws_vpc;
    expect(vpcs.a["//"].suppressions.map((x) => x.rule)).toEqual(["MLN-VPC-1", "MLN-TAG-1"]);
    expect(vpcs.b["//"].suppressions.map((x) => x.rule)).toEqual(["MLN-VPC-1"]);
    expect(
      runPolicies(stack.toTerraform() as never)
        .suppressed.map((x) => x.rule)
        .sort(),
    ).toEqual(["MLN-TAG-1", "MLN-VPC-1", "MLN-VPC-1"]);
  });

  it("refuses short reasons, unsuppressible rules and unknown rules", () => {
    Testing.synthScope((scope) => {
      const vpc = new Vpc(scope, "v", { cidrBlock: "10.0.0.0/16" });
      const error = (f: () => void) => {
        try {
          f();
        } catch (err) {
          expect(ConfigError.isConfigError(err)).toBe(true);
          return (err as ConfigError).issues[0];
        }
        throw new Error("expected a ConfigError");
      };
      expect(error(() => suppress(vpc, "MLN-VPC-2", "short"))).toMatchObject({ path: "reason", value: "short", message: "is shorter than 10 characters" });
      expect(error(() => suppress(vpc, "MLN-SG-2", "we want RDP from anywhere"))).toMatchObject({
        path: "rule",
        message: expect.stringMatching(/cannot be suppressed/),
      });
      expect(error(() => suppress(vpc, "MLN-NOPE-1" as never, "a long enough reason"))).toMatchObject({
        path: "rule",
        value: "MLN-NOPE-1",
        message: "is not a rule of the compliance pack",
      });
    });
  });
});

describe("hybrid rules at their edges", () => {
  it("MLN-DX-1: a transit gateway advertises its allowed prefixes, so one beyond the VPC fails there (and passes on a virtual private gateway)", () => {
    const wider = ["10.0.0.0/15"];
    expect(only("MLN-DX-1", doc(dxAssociation(wider)))).toEqual([]);
    const tgw = dxAssociation(wider) as Record<string, Record<string, Record<string, unknown>>>;
    tgw.aws_dx_gateway_association.a.associated_gateway_id = "tgw-0123456789abcdef0";
    expect(only("MLN-DX-1", doc(tgw))).toEqual([expect.objectContaining({ message: expect.stringMatching(/advertises 10\.0\.0\.0\/15 beyond the VPC/) })]);
  });

  it("MLN-DNS-1: an outbound endpoint may reach the port its rules' on-premises servers listen on, and no other", () => {
    const outbound = (rulePort: number, groupPort: number) => {
      const base = resolverIn(["us-east-1a", "us-east-1b"], [53, 53]) as Record<string, Record<string, Record<string, unknown>>>;
      base.aws_route53_resolver_endpoint.e.direction = "OUTBOUND";
      delete base.aws_vpc_security_group_ingress_rule;
      base.aws_vpc_security_group_egress_rule = {
        r: {
          security_group_id: "${aws_security_group.g.id}",
          description: "d",
          ip_protocol: "udp",
          from_port: groupPort,
          to_port: groupPort,
          cidr_ipv4: "172.16.0.10/32",
        },
      };
      base.aws_route53_resolver_rule = {
        corp: {
          domain_name: "corp.example.com",
          resolver_endpoint_id: "${aws_route53_resolver_endpoint.e.id}",
          target_ip: [{ ip: "172.16.0.10", port: rulePort }],
        },
      };
      return only("MLN-DNS-1", doc(base));
    };
    expect(outbound(5353, 5353)).toEqual([]);
    expect(outbound(53, 5353)).toHaveLength(1);
  });

  it("MLN-ELB-4: an access_logs block without enabled = true writes nothing (the provider's default is false)", () => {
    expect(only("MLN-ELB-4", balancer({ access_logs: { bucket: "logs" } }, { tls: https }))).toHaveLength(1);
    expect(only("MLN-ELB-4", balancer({ access_logs: { bucket: "logs", enabled: true } }, { tls: https }))).toEqual([]);
  });
});
