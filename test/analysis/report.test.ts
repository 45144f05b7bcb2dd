import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimateCost } from "../../analysis/cost";
import { toDot } from "../../analysis/diagram";
import { buildModel } from "../../analysis/model";
import { analyzeReachability } from "../../analysis/reachability";
import { buildReport } from "../../analysis/report";
import type { TfJsonShape } from "../../analysis/tfjson";
import { main as report } from "../../bin/report";
import { ENVIRONMENTS } from "../../environments";
import { environmentJson } from "../helpers";

const json = (name: string) => environmentJson(name) as TfJsonShape;
const onPremOf = (name: string) => ENVIRONMENTS.find((e) => e.name === name)!.onPremisesCidrs ?? [];
const analyze = (j: TfJsonShape, onPrem: readonly string[] = []) => analyzeReachability(buildModel(j), { onPremisesCidrs: onPrem });

describe("the network model", () => {
  const model = buildModel(json("prod"));

  it("resolves subnets with tier and AZ, their route tables and NACLs", () => {
    expect(model.subnets).toHaveLength(10);
    const privateA = model.subnets.find((s) => s.tier === "private" && s.az === "us-east-1a")!;
    expect(privateA).toMatchObject({
      cidr: "10.30.64.0/20",
      routeTable: expect.stringMatching(/^aws_route_table\.network_rt-private-us-east-1a/),
      nacl: expect.stringMatching(/^aws_network_acl\.network-acls_private/),
    });
    const rt = model.routeTables.find((r) => r.address === privateA.routeTable)!;
    expect(rt.routes).toEqual([
      { destination: "0.0.0.0/0", target: { kind: "nat", address: expect.stringMatching(/^aws_nat_gateway\.network_nat-us-east-1a/) } },
    ]);
    expect(rt.gatewayEndpoints).toHaveLength(2);
    expect(rt.propagatingVgws).toEqual([expect.stringMatching(/^aws_vpn_gateway\./)]);
  });

  it("resolves security-group rules to groups, CIDRs and prefix lists, and places groups by their members", () => {
    const vpce = model.securityGroups.find((g) => g.name === "ml-prod-vpcEndpoints")!;
    expect(vpce.rules.every((r) => r.direction === "ingress" && r.peer.kind === "sg")).toBe(true);
    expect(vpce.memberSubnets.length).toBe(3);
    const notebook = model.securityGroups.find((g) => g.name === "ml-prod-notebook")!;
    expect(
      notebook.rules
        .filter((r) => r.peer.kind === "prefixList")
        .map((r) => (r.peer as { service?: string }).service)
        .sort(),
    ).toEqual(["dynamodb", "s3"]);
  });

  it("counts gateways, endpoints, VPN, EFA clusters", () => {
    expect(model.natGateways).toHaveLength(3);
    expect(
      model.endpoints
        .filter((e) => e.type === "Gateway")
        .map((e) => e.service)
        .sort(),
    ).toEqual(["dynamodb", "s3"]);
    expect(model.vpnConnections).toHaveLength(1);
    expect(model.autoScalingGroups[0]).toMatchObject({ desired: 0, max: 4 });
    expect(model.launchTemplates[0]).toMatchObject({ instanceType: "p5.48xlarge", interfaces: 33 });
  });
});

describe("reachability in every environment", () => {
  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: only the public tier is reachable from the internet", (name) => {
    const r = analyze(json(name), onPremOf(name));
    for (const tier of r.tiers) expect({ tier, inbound: r.matrix[tier]["internet (inbound)"].reachable }).toEqual({ tier, inbound: tier === "public" });
  });

  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: the isolated tier reaches nothing outside the VPC", (name) => {
    const m = analyze(json(name), onPremOf(name)).matrix.isolated;
    for (const d of ["internet (outbound)", "s3", "dynamodb", "on-premises"]) expect({ d, reachable: m[d].reachable }).toEqual({ d, reachable: false });
  });

  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: training reaches S3 through the gateway endpoint, not through NAT", (name) => {
    const v = analyze(json(name), onPremOf(name)).matrix.training.s3;
    expect(v.reachable).toBe(true);
    expect(v.path.some((p) => p.startsWith("aws_vpc_endpoint.endpoints_gateway-s3"))).toBe(true);
    expect(v.path.some((p) => p.startsWith("aws_nat_gateway"))).toBe(false);
  });

  it("private subnets reach the internet through the NAT of their own AZ; staging and prod reach on-premises over the VPN", () => {
    const prod = analyze(json("prod"), onPremOf("prod"));
    expect(prod.matrix.private["internet (outbound)"].path.join(" ")).toMatch(/private-us-east-1a .*nat-us-east-1a.*public-us-east-1a .*igw/);
    expect(prod.matrix.private["on-premises"]).toMatchObject({ reachable: true, path: expect.arrayContaining([expect.stringMatching(/^aws_vpn_gateway/)]) });
    expect(prod.matrix.training["internet (outbound)"].reachable).toBe(false);
  });

  it("security-group flows are reported with ports and tiers, and the NACLs let all of them through", () => {
    const flows = analyze(json("prod")).groupFlows;
    expect(flows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: "ml-prod-notebook", to: "ml-prod-data", ports: "tcp 5432", fromTiers: ["private"], toTiers: ["isolated"] }),
      ]),
    );
    expect(flows.filter((f) => !f.verdict.reachable)).toEqual([]);
  });
});

describe("reachability finds broken networks", () => {
  const clone = (j: TfJsonShape) => JSON.parse(JSON.stringify(j)) as TfJsonShape & { resource: Record<string, Record<string, Record<string, unknown>>> };

  it("a private subnet routed to an internet gateway is reported: direct internet path, inbound stopped only by the NACL", () => {
    const broken = clone(json("dev"));
    const igw = Object.keys(broken.resource.aws_internet_gateway)[0];
    for (const route of Object.values(broken.resource.aws_route)) {
      if (route.nat_gateway_id) {
        delete route.nat_gateway_id;
        route.gateway_id = `\${aws_internet_gateway.${igw}.id}`;
      }
    }
    const r = analyze(broken);
    expect(r.matrix.private["internet (outbound)"]).toMatchObject({
      reachable: true,
      path: [expect.stringMatching(/private/), `aws_internet_gateway.${igw}`, "internet"],
    });
    expect(r.matrix.private["internet (inbound)"].reason).toMatch(
      /a route to aws_internet_gateway\.\S+ exists, but inbound HTTPS is blocked by aws_network_acl\.network-acls_private/,
    );
    expect(analyze(json("dev")).matrix.private["internet (outbound)"].path.some((p) => p.startsWith("aws_nat_gateway"))).toBe(true);
  });

  it("without a NACL to stop it, that subnet is reachable from the internet", () => {
    const fixture: TfJsonShape = {
      resource: {
        aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
        aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.v.id}" } },
        aws_subnet: { p: { cidr_block: "10.0.1.0/24", availability_zone: "us-east-1a", tags: { Tier: "private" } } },
        aws_route_table: { rt: { vpc_id: "${aws_vpc.v.id}" } },
        aws_route: { r: { route_table_id: "${aws_route_table.rt.id}", destination_cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" } },
        aws_route_table_association: { a: { subnet_id: "${aws_subnet.p.id}", route_table_id: "${aws_route_table.rt.id}" } },
      },
    };
    expect(analyze(fixture).matrix.private["internet (inbound)"]).toMatchObject({ reachable: true, path: ["internet", "aws_internet_gateway.igw", "p"] });
  });

  it("a NACL that blocks return traffic is reported, with the rule that decides", () => {
    const broken = clone(json("dev"));
    for (const [name, rule] of Object.entries(broken.resource.aws_network_acl_rule)) {
      if (name.startsWith("network-acls_private-ingress-tcp-32768-65535")) delete broken.resource.aws_network_acl_rule[name];
      void rule;
    }
    const v = analyze(broken).matrix.private["internet (outbound)"];
    expect(v.reachable).toBe(false);
    expect(v.reason).toMatch(/reply blocked by aws_network_acl\.network-acls_private.*(implicit deny)/);
    expect(analyze(broken).matrix.private.s3.reachable).toBe(false);
  });
});

describe("monthly cost", () => {
  const H = 730;
  const fixture: TfJsonShape = {
    provider: { aws: [{ region: "us-east-1" }] },
    resource: {
      aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
      aws_subnet: { a: { cidr_block: "10.0.0.0/24", availability_zone: "us-east-1a" }, b: { cidr_block: "10.0.1.0/24", availability_zone: "us-east-1b" } },
      aws_eip: { e1: {}, e2: {} },
      aws_nat_gateway: { n1: { subnet_id: "${aws_subnet.a.id}" }, n2: { subnet_id: "${aws_subnet.b.id}" } },
      aws_vpc_endpoint: {
        s3: { service_name: "com.amazonaws.us-east-1.s3", vpc_endpoint_type: "Gateway" },
        sts: { service_name: "com.amazonaws.us-east-1.sts", vpc_endpoint_type: "Interface", subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"] },
        logs: { service_name: "com.amazonaws.us-east-1.logs", vpc_endpoint_type: "Interface", subnet_ids: ["${aws_subnet.a.id}"] },
      },
      aws_vpn_connection: { c: {} },
      aws_cloudwatch_log_group: { fl: { name: "/flow", retention_in_days: 30, kms_key_id: "k" } },
      aws_kms_key: { k: {} },
      aws_launch_template: { lt: { instance_type: "p4d.24xlarge" } },
      aws_autoscaling_group: { asg: { name: "train", min_size: 0, desired_capacity: 2, max_size: 4, launch_template: { id: "${aws_launch_template.lt.id}" } } },
    },
  };

  it("matches a hand calculation for known counts", () => {
    const cost = estimateCost(buildModel(fixture));
    const natHours = 2 * H * 0.045; // 65.70
    const natData = 100 * 0.045; // 4.50
    const dynamodbViaNat = 20 * 0.045; // 0.90: no DynamoDB gateway endpoint
    const interfaceHours = (2 + 1) * H * 0.01; // 21.90
    const interfaceData = 50 * 0.01; // 0.50
    const vpn = H * 0.05; // 36.50
    const ipv4 = 2 * H * 0.005; // 7.30
    const logs = 30 * 0.5 + 30 * 1 * 0.03; // 15.00 + 0.90
    const kms = 1;
    const nodes = 2 * H * 21.96; // 32061.60
    expect(cost.byCategory).toEqual({
      "NAT gateway": 70.2,
      "Gateway endpoint": 0,
      "Data through NAT": 0.9,
      "Interface endpoint": 22.4,
      VPN: 36.5,
      "Public IPv4": 7.3,
      "CloudWatch Logs": 15.9,
      KMS: 1,
      "EFA nodes": 32061.6,
    });
    expect(cost.total).toBeCloseTo(natHours + natData + dynamodbViaNat + interfaceHours + interfaceData + vpn + ipv4 + logs + kms + nodes, 2);
    expect(cost.gatewayEndpointSavings).toEqual({ gb: 1000, monthly: 45, byService: { s3: { gb: 1000, monthly: 45 } } });
  });

  it("takes usage from a profile and prices the idle prod network", () => {
    const model = buildModel(json("prod"));
    const idle = estimateCost(model);
    expect(idle.byCategory["EFA nodes"]).toBe(0);
    const run = estimateCost(model, { efaNodeHours: { "ml-prod-llm": 4 * 24 } });
    expect(run.byCategory["EFA nodes"]).toBeCloseTo(96 * 55.04, 2);
    expect(idle.byCategory["NAT gateway"]).toBeCloseTo(3 * H * 0.045 + 100 * 0.045, 2);
    expect(idle.prices).toEqual({
      date: "2025-07-01",
      region: "us-east-1",
      currency: "USD",
      networkRegion: "us-east-1",
      label: "prices: us-east-1 (2025-07-01)",
    });
    expect(idle.warnings).toEqual([]);
  });
});

describe("diagram and report files", () => {
  it("draws AZs, tiers, gateways, endpoints, VPN, the EFA cluster and security-group flows", async () => {
    const model = buildModel(json("prod"));
    const reach = analyzeReachability(model, { onPremisesCidrs: ["172.16.0.0/16"] });
    const dot = toDot(model, reach, "prod");
    for (const text of [
      "us-east-1a",
      "us-east-1c",
      "Internet gateway",
      "NAT gateway",
      "Virtual private gateway",
      "On-premises",
      "s3 (gateway, free)",
      "EFA cluster",
      "Security-group flows",
      "private\\n10.30.64.0/20",
    ])
      expect(dot).toContain(text);
    const result = await buildReport({ label: "prod", json: json("prod"), onPremisesCidrs: ["172.16.0.0/16"] });
    expect(result.svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    expect(result.svg).toContain("us&#45;east&#45;1b"); // Graphviz escapes hyphens in SVG text
    expect(result.markdown).toMatch(/\| tier \| internet \(inbound\) \| internet \(outbound\) \| s3 \|/);
    expect(result.markdown).toMatch(
      /## Compliance[\s\S]*0 unsuppressed errors[\s\S]*\| MLN-EC2-3 \| `aws_launch_template\.efa-llm_launch-template_[0-9A-F]+` \| EFA needs an ENA primary and one EFA-only interface per network card/,
    );
  });

  it("npm run report writes report.md, network.svg, cost.json and reachability.json per target, with progress", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
    const file = path.join(out, "dev.tf.json");
    fs.writeFileSync(file, JSON.stringify(json("dev")));
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const written = await report(["staging", file, "--out", out]);
      expect(written.map((f) => path.relative(out, f)).sort()).toEqual(
        [
          "dev/cost.json",
          "dev/network.svg",
          "dev/reachability.json",
          "dev/report.md",
          "staging/cost.json",
          "staging/network.svg",
          "staging/reachability.json",
          "staging/report.md",
        ].sort(),
      );
      expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(/\[staging\] reachability/);
      const cost = JSON.parse(fs.readFileSync(path.join(out, "staging", "cost.json"), "utf8"));
      expect(cost.total).toBeGreaterThan(0);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("npm run report names the fix for a target that is neither an environment nor a file, and writes nothing", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
    try {
      await expect(report(["qa", "--out", out])).rejects.toThrow(
        new RegExp(
          `"qa" is not a stack of this project \\(.*\\) and is neither an environment \\(${ENVIRONMENTS.map((e) => e.name).join(", ")}\\) nor a file\\. Fix: name a stack, an example environment, or a path to a \\.tf\\.json file or a stack folder`,
        ),
      );
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
