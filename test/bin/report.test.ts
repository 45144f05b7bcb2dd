/**
 * ml-network-report in another team's project: every CDKTF stack file is
 * called cdk.tf.json, yet each stack gets its own report folder and title,
 * and a region priced with another region's table says so.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cli as report } from "../../bin/report";
import type { TfJsonShape } from "../../analysis/tfjson";

/** A small network: a VPC with two private subnets, one NAT gateway and an S3 gateway endpoint, in `region`. */
const network = (region: string, cidr: string): TfJsonShape => ({
  provider: { aws: [{ region }] },
  resource: {
    aws_vpc: { v: { cidr_block: cidr, enable_dns_support: true, enable_dns_hostnames: true } },
    aws_subnet: {
      a: { vpc_id: "${aws_vpc.v.id}", cidr_block: cidr.replace(/\.0\.0\/16$/, ".0.0/24"), availability_zone: `${region}a`, tags: { Tier: "private" } },
      b: { vpc_id: "${aws_vpc.v.id}", cidr_block: cidr.replace(/\.0\.0\/16$/, ".1.0/24"), availability_zone: `${region}b`, tags: { Tier: "private" } },
    },
    aws_eip: { nat: {} },
    aws_nat_gateway: { n: { subnet_id: "${aws_subnet.a.id}", allocation_id: "${aws_eip.nat.id}" } },
    aws_vpc_endpoint: { s3: { vpc_id: "${aws_vpc.v.id}", service_name: `com.amazonaws.${region}.s3`, vpc_endpoint_type: "Gateway" } },
  },
});

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function project(stacks: Record<string, TfJsonShape>, name = "app"): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "report-")), name);
  roots.push(path.dirname(root));
  for (const [stack, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(root, "cdktf.out", "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(root, "cdktf.out", "stacks", stack, "cdk.tf.json"), JSON.stringify(json));
  }
  return root;
}

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await report(argv, { cwd }), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("two stacks side by side", () => {
  it("get two report folders named after the stacks, with titles and JSON files that name them", async () => {
    const cwd = project({ a: network("us-east-1", "10.1.0.0/16"), b: network("eu-west-1", "10.2.0.0/16") });
    const r = await run(["a", "b"], cwd);
    expect(r.code).toBe(0);
    const reports = path.join(cwd, "cdktf.out", "reports");
    expect(fs.readdirSync(reports).sort()).toEqual(["a", "b"]);
    for (const [name, cidr] of [
      ["a", "10.1.0.0/16"],
      ["b", "10.2.0.0/16"],
    ]) {
      const markdown = read(path.join(reports, name, "report.md"));
      expect(markdown.split("\n")[0]).toBe(`# Network report: ${name}`);
      expect(markdown).toContain(`Source: stack ${name} (cdktf.out/stacks/${name}/cdk.tf.json).`);
      expect(markdown).toContain(`1 VPC (${cidr})`);
      expect(JSON.parse(read(path.join(reports, name, "cost.json"))).target).toBe(name);
      expect(JSON.parse(read(path.join(reports, name, "reachability.json"))).target).toBe(name);
    }
    expect(r.out).toMatch(/│ a +│/);
    expect(r.out).toContain(path.join("cdktf.out", "reports", "b", "report.md"));
  });

  it("stacks of the same name from two projects get the project folder that tells them apart", async () => {
    const one = project({ prod: network("us-east-1", "10.1.0.0/16") }, "team1");
    const two = project({ prod: network("us-east-1", "10.2.0.0/16") }, "team2");
    const out = path.join(one, "out");
    const stack = (root: string) => path.join(root, "cdktf.out", "stacks", "prod");
    expect((await run([stack(one), stack(two), "--out", out], one)).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(["prod-team1", "prod-team2"]);
    expect(read(path.join(out, "prod-team2", "report.md"))).toMatch(/^# Network report: prod-team2\n[\s\S]*1 VPC \(10\.2\.0\.0\/16\)/);
  });
});

describe("cost warnings", () => {
  it("a region without a price table is priced as us-east-1, and the report and the summary say so", async () => {
    const cwd = project({ mumbai: network("ap-south-1", "10.3.0.0/16"), dublin: network("eu-west-1", "10.4.0.0/16") });
    const r = await run(["mumbai", "dublin"], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^warning: mumbai: priced as us-east-1: no price table for ap-south-1 \(us-east-1 prices of 2025-07-01\)/m);
    expect(r.out).not.toMatch(/warning: dublin/);
    expect(r.out).toMatch(/│ mumbai +│ \$[\d.]+ \(see warnings\) +│/);
    const reports = path.join(cwd, "cdktf.out", "reports");
    const mumbai = read(path.join(reports, "mumbai", "report.md"));
    expect(mumbai).toContain("List prices (USD) of the us-east-1 table of 2025-07-01");
    expect(mumbai).toMatch(/> \*\*Warning:\*\* priced as us-east-1: no price table for ap-south-1/);
    const dublin = read(path.join(reports, "dublin", "report.md"));
    expect(dublin).toContain("List prices (USD) of the eu-west-1 table of 2025-07-01");
    expect(dublin).not.toContain("Warning");
    expect(JSON.parse(read(path.join(reports, "mumbai", "cost.json"))).prices).toMatchObject({
      region: "us-east-1",
      networkRegion: "ap-south-1",
      label: "priced as us-east-1: no price table for ap-south-1",
    });
  });
});

describe("bad usage", () => {
  it.each([
    [["a", "--on-prem", "10.8.0.0/33"], /"10\.8\.0\.0\/33" is not a valid IPv4 CIDR/],
    [["a", "--on-prem", "10.8.0.1/16"], /has host bits set/],
    [["a", "--usage", "missing.json"], /--usage missing\.json: no such file/],
    [["a", "--required-tags", ","], /"" is an empty tag key/],
    [["nope"], /"nope" is not a stack of this project \(cdktf\.out\/stacks has a\)/],
  ])("%j exits 2 with the reason and writes nothing", async (argv, reason) => {
    const cwd = project({ a: network("us-east-1", "10.1.0.0/16") });
    const r = await run(argv, cwd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(reason);
    expect(fs.existsSync(path.join(cwd, "cdktf.out", "reports"))).toBe(false);
  });
});
