/**
 * ml-network-check fits another team's tagging policy: --required-tags and
 * --config change which resources fail the tag rule, and bad values stop
 * the command with exit code 2 and the reason.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { captureOutput } from "../helpers";
import { cli as check } from "../../bin/check";
import { cli as report } from "../../bin/report";
import { REQUIRED_TAGS, runPolicies } from "../../analysis/policy";
import { ConfigError } from "../../modules/core";
import type { TfJsonShape } from "../../analysis/tfjson";

/** A team's stack: its provider tags everything with Environment and Team; one resource adds Owner, one lowercase `owner`, one nothing. */
const TEAM_STACK: TfJsonShape = {
  provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Environment: "dev", Team: "ml" } }] }] },
  resource: {
    aws_s3_bucket: { data: { bucket: "team-data", tags: { Owner: "ml@example.com" } } },
    aws_sns_topic: { alerts: { name: "alerts", tags: { owner: "ml@example.com" } } },
    aws_sqs_queue: { jobs: { name: "jobs" } },
  },
};

let cwd: string;
beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
  fs.writeFileSync(path.join(cwd, "team.tf.json"), JSON.stringify(TEAM_STACK));
});
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

const run = captureOutput;

/** Exit code and the resources MLN-TAG-1 flags, with their messages, from --json. */
async function tagFindings(...flags: string[]): Promise<{ code: number; flagged: Record<string, string>; requiredTags: string[] }> {
  const r = await run(() => check(["team.tf.json", "--json", ...flags], { cwd }));
  const result = JSON.parse(r.out) as { requiredTags: string[]; findings: { rule: string; address: string; message: string }[] };
  const flagged = Object.fromEntries(result.findings.filter((f) => f.rule === "MLN-TAG-1").map((f) => [f.address, f.message]));
  return { code: r.code, flagged, requiredTags: result.requiredTags };
}

describe("required tags", () => {
  it("default to this project's five tags: every resource of the team's stack fails", async () => {
    const r = await tagFindings();
    expect(r.requiredTags).toEqual([...REQUIRED_TAGS]);
    expect(r.code).toBe(1);
    expect(Object.keys(r.flagged).sort()).toEqual(["aws_s3_bucket.data", "aws_sns_topic.alerts", "aws_sqs_queue.jobs"]);
    expect(r.flagged["aws_s3_bucket.data"]).toBe("lacks Project, CostCenter, Compliance");
  });

  it("--required-tags sets the team's policy: only resources without those tags fail", async () => {
    const passing = await tagFindings("--required-tags", "Environment,Team");
    expect(passing).toMatchObject({ code: 0, flagged: {}, requiredTags: ["Environment", "Team"] });
    const withOwner = await tagFindings("--required-tags", " Environment , Team,Owner ");
    expect(withOwner.code).toBe(1);
    expect(withOwner.flagged).toEqual({
      "aws_sns_topic.alerts": "lacks Owner (it has owner: tag keys are case-sensitive)",
      "aws_sqs_queue.jobs": "lacks Owner",
    });
  });

  it("the tables say which tags were required and where that came from", async () => {
    const r = await run(() => check(["team.tf.json", "--required-tags", "Environment,Team"], { cwd }));
    expect(r.out).toMatch(/Required tags: Environment, Team \(--required-tags\)/);
  });

  it("--config reads them from a settings file; the flag wins over the file", async () => {
    fs.writeFileSync(path.join(cwd, "settings.json"), JSON.stringify({ requiredTags: ["Environment", "Team", "Owner"] }));
    const fromFile = await tagFindings("--config", "settings.json");
    expect(fromFile.requiredTags).toEqual(["Environment", "Team", "Owner"]);
    expect(Object.keys(fromFile.flagged).sort()).toEqual(["aws_sns_topic.alerts", "aws_sqs_queue.jobs"]);
    const flagWins = await tagFindings("--config", "settings.json", "--required-tags", "Environment");
    expect(flagWins).toMatchObject({ code: 0, flagged: {}, requiredTags: ["Environment"] });
  });

  it("the report's compliance section follows the same settings", async () => {
    const out = path.join(cwd, "reports");
    const r = await run(() => report(["team.tf.json", "--out", out, "--required-tags", "Environment,Team,Owner"], { cwd }));
    expect(r.code).toBe(0);
    const markdown = fs.readFileSync(path.join(out, "team", "report.md"), "utf8");
    expect(markdown).toMatch(/\| MLN-TAG-1 \| `aws_sqs_queue\.jobs` \| lacks Owner \|/);
    expect(markdown).not.toMatch(/MLN-TAG-1 \| `aws_s3_bucket\.data`/);
  });

  it("the policy API takes the list too, and refuses lists AWS would refuse", () => {
    const findings = (tags?: string[]) =>
      runPolicies(TEAM_STACK, tags ? { requiredTags: tags } : {})
        .findings.filter((f) => f.rule === "MLN-TAG-1")
        .map((f) => f.address);
    expect(findings()).toHaveLength(3);
    expect(findings(["Environment", "Team"])).toEqual([]);
    expect(() => runPolicies(TEAM_STACK, { requiredTags: [] })).toThrow(ConfigError);
    expect(() => runPolicies(TEAM_STACK, { requiredTags: ["aws:team"] })).toThrow(/requiredTags\[0\]: .*starts with aws:/);
    expect(() => runPolicies(TEAM_STACK, { requiredTags: "Team" as unknown as string[] })).toThrow(/is not a list of tag keys/);
  });
});

describe("several targets side by side", () => {
  it("checks each stack under its own name and fails when any has errors", async () => {
    const clean: TfJsonShape = { ...TEAM_STACK, resource: { aws_s3_bucket: { data: { bucket: "team-data", tags: {} } } } };
    for (const [name, json] of [
      ["team-a", TEAM_STACK],
      ["team-b", clean],
    ] as const) {
      fs.mkdirSync(path.join(cwd, "cdktf.out", "stacks", name), { recursive: true });
      fs.writeFileSync(path.join(cwd, "cdktf.out", "stacks", name, "cdk.tf.json"), JSON.stringify(json));
    }
    const tables = await run(() => check(["team-a", "team-b", "--required-tags", "Environment,Team,Owner"], { cwd }));
    expect(tables.out.match(/^Compliance check: .*$/gm)).toEqual([expect.stringMatching(/team-a/), expect.stringMatching(/team-b/)]);
    expect(tables.code).toBe(1); // team-a lacks Owner on two resources
    const json = await run(() => check(["team-a", "team-b", "--json", "--required-tags", "Environment,Team"], { cwd }));
    expect((JSON.parse(json.out) as { name: string; errors: unknown[] }[]).map((r) => [r.name, r.errors.length])).toEqual([
      ["team-a", 0],
      ["team-b", 0],
    ]);
    expect(json.code).toBe(0);
  });
});

describe("bad usage exits 2 with the reason", () => {
  it.each([
    [["--required-tags", ""], /argument '' is invalid\. the list is empty; name at least one key/],
    [["--required-tags", "Team,,Owner"], /"" is an empty tag key/],
    [["--required-tags", "Team,Team"], /"Team" is listed twice/],
    [["--required-tags", "aws:cost"], /"aws:cost" starts with aws:/],
    [["--required-tags", "Cost#Center"], /"Cost#Center" has characters tag keys may not hold/],
    [["--config", "missing.json"], /--config missing\.json: no such file/],
    [["--bogus"], /unknown option '--bogus'/],
  ])("%j", async (flags, reason) => {
    const r = await run(() => check(["team.tf.json", ...flags], { cwd }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(reason);
    expect(r.out).toBe("");
  });

  it.each([
    ["{ requiredTags: [", /--config bad\.json: not valid JSON/],
    ['["Team"]', /is not a JSON object/],
    ['{ "requiredTag": ["Team"] }', /"requiredTag" is not a setting \(settings: requiredTags\)/],
    ['{ "requiredTags": "Team" }', /requiredTags "Team" is not a list of tag keys/],
    ['{ "requiredTags": [] }', /requiredTags \[\] is empty/],
  ])("a settings file %s", async (content, reason) => {
    fs.writeFileSync(path.join(cwd, "bad.json"), content);
    const r = await run(() => check(["team.tf.json", "--config", "bad.json"], { cwd }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(reason);
  });
});
