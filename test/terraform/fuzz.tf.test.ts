/**
 * Property: every random mutation of the example environments either
 * synthesizes Terraform the real provider accepts (`terraform validate`,
 * offline) or is rejected with a clear error (the field the user wrote, the
 * value, a fix); it never crashes.
 *
 * Seeded, so CI runs the same cases every time; explore with
 *   FUZZ_SEED=<n> FUZZ_RUNS=<n> npm run test:terraform -- fuzz
 * fast-check shrinks a failing case to a small one and prints its seed.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { ENVIRONMENTS, type EnvironmentConfig } from "../../environments";
import { synthAll } from "../../main";
import { ConfigError, type ConfigIssue } from "../../modules/core/errors";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require("../../scripts/tf-validate.js") as {
  findPlugin: () => { dir: string; version: string } | undefined;
  terraformAvailable: () => boolean;
  validateStacks: (
    stacks: Record<string, string>,
  ) => Promise<{ results: { name: string; valid: boolean; diagnostics: { severity: string; summary: string; detail: string; address?: string }[] }[] }>;
};

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
/** Distinct synthesized outputs checked with terraform validate (each takes a few seconds). */
const MAX_VALIDATED = Number(process.env.FUZZ_VALIDATE ?? 16);

type Key = string | number;
const DELETE = Symbol("delete");
const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;
const SPECIALS: unknown[] = [
  undefined,
  null,
  NaN,
  Infinity,
  -Infinity,
  -1,
  0,
  0.5,
  2 ** 31,
  1e300,
  "",
  " ",
  "x".repeat(300),
  "5432",
  "true",
  true,
  false,
  [],
  {},
  10n,
  () => 1,
  circular,
  "::/0",
  "2001:db8::/32",
  "0.0.0.0/0",
  "10.0.0.0/8",
  "aws:tag",
  "ü",
  "us-east-1z",
  "__proto__",
  "constructor",
  DELETE,
];

function pathsOf(value: unknown, at: Key[] = [], out: Key[][] = []): Key[][] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}
const getAt = (root: unknown, at: Key[]): unknown => at.reduce<unknown>((node, k) => (node as Record<Key, unknown> | undefined)?.[k], root);

type Mutation = { kind: "set" | "duplicate" | "typo" | "unknown" | "reserved"; pick: number; value: unknown };

/** Applies a mutation to a deep copy of `env`; returns the copy and a description. */
function mutate(env: EnvironmentConfig, m: Mutation): { config: Record<string, unknown>; what: string } {
  const config = structuredClone(env) as unknown as Record<string, unknown>;
  const all = pathsOf(config);
  const at = all[m.pick % all.length];
  const parent = getAt(config, at.slice(0, -1)) as Record<Key, unknown>;
  const key = at[at.length - 1];
  const where = at.join(".");
  const node = parent[key];
  switch (m.kind) {
    case "set":
      if (m.value === DELETE) {
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        return { config, what: `delete ${where}` };
      }
      parent[key] = m.value;
      return { config, what: `set ${where}` };
    case "duplicate":
      if (Array.isArray(node) && node.length > 0) node.push(structuredClone(node[0]));
      else if (Array.isArray(parent)) parent.push(structuredClone(node));
      return { config, what: `duplicate ${where}` };
    case "typo":
      if (!Array.isArray(parent)) {
        parent[`${String(key)}x`] = node;
        delete parent[key];
      }
      return { config, what: `misspell ${where}` };
    case "unknown":
      if (node && typeof node === "object" && !Array.isArray(node)) (node as Record<string, unknown>).unexpected = m.value;
      return { config, what: `unknown field in ${where}` };
    case "reserved":
      if (node && typeof node === "object" && !Array.isArray(node))
        Object.defineProperty(node, "__proto__", { value: {}, enumerable: true, writable: true, configurable: true });
      return { config, what: `__proto__ key in ${where}` };
  }
}

/** Splits a written path (`a.b[0]["x.y"]`) into keys. */
function keysOf(written: string): Key[] {
  const keys: Key[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const m of written.matchAll(re)) keys.push(m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? JSON.parse(`"${m[3]}"`) : m[1]);
  return keys;
}

const GENERIC_FIX = /^see the field's documentation/;

/** The issues of a clean rejection (the library's one error family); throws (a crash) for anything else. */
function rejection(err: unknown): ConfigIssue[] {
  if (ConfigError.isConfigError(err)) return [...err.issues];
  throw err;
}

/** Issues of the synth-time checks (compliance pack, AWS limits) sit at a construct path, not at an input field. */
const STACK_CHECK = /^(compliance|aws-limits): /;

function assertClear(issues: readonly ConfigIssue[], input: unknown, what: string): void {
  for (const issue of issues) {
    const where = `${what}: issue ${JSON.stringify(issue.path)}`;
    if (typeof issue.message !== "string" || issue.message.trim() === "") throw new Error(`${where} has no message`);
    if (typeof issue.fix !== "string" || issue.fix.trim().length < 5 || GENERIC_FIX.test(issue.fix))
      throw new Error(`${where} has no fitting fix: ${issue.fix}`);
    if (STACK_CHECK.test(issue.message)) continue;
    // The path is one the user wrote: everything above its last key exists in the input.
    const keys = keysOf(issue.path);
    let node: unknown = input;
    for (const k of keys.slice(0, -1)) {
      if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, k))
        throw new Error(`${where} is not a path of the input (${String(k)} missing)`);
      node = (node as Record<Key, unknown>)[k];
    }
  }
}

describe("random mutations of the example environments", () => {
  const outputs = new Map<string, string>();
  const counts = { synthesized: 0, rejected: 0 };

  it(`synthesize or are rejected clearly, never crash (seed ${SEED}, ${RUNS} runs)`, () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "fuzz-"));
    try {
      const valueArb = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...SPECIALS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
        { weight: 1, arbitrary: fc.integer({ min: -70000, max: 70000 }) },
        { weight: 1, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }) },
      );
      const mutationArb = fc.record({
        env: fc.constantFrom(...ENVIRONMENTS),
        kind: fc.constantFrom("set", "set", "set", "duplicate", "typo", "unknown", "reserved") as fc.Arbitrary<Mutation["kind"]>,
        pick: fc.nat(),
        value: valueArb,
      });
      let n = 0;
      fc.assert(
        fc.property(mutationArb, (m) => {
          const { config, what } = mutate(m.env, m);
          const out = path.join(root, String(n++));
          try {
            synthAll([config as unknown as EnvironmentConfig], out);
            const name = fs.readdirSync(path.join(out, "stacks"))[0];
            const text = fs.readFileSync(path.join(out, "stacks", name, "cdk.tf.json"), "utf8");
            outputs.set(crypto.createHash("sha256").update(text).digest("hex"), text);
            counts.synthesized++;
          } catch (err) {
            assertClear(rejection(err), config, what);
            counts.rejected++;
          } finally {
            fs.rmSync(out, { recursive: true, force: true });
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    // The run exercised both outcomes.
    expect(counts.synthesized).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  }, 600000);

  const plugin = tf.findPlugin();
  const reason = !tf.terraformAvailable() ? "no terraform binary on PATH" : !plugin ? "no hashicorp/aws plugin directory found (set TF_PLUGIN_DIR)" : undefined;
  (reason ? it.skip : it)(
    `what they synthesize is valid Terraform for the real provider${reason ? ` (skipped: ${reason})` : ""}`,
    async () => {
      const texts = [...outputs.values()].slice(0, MAX_VALIDATED);
      expect(texts.length).toBeGreaterThan(0);
      const { results } = await tf.validateStacks(Object.fromEntries(texts.map((t, i) => [`mutation-${i}`, t])));
      const invalid = results
        .filter((r) => !r.valid)
        .map((r) => ({ name: r.name, errors: r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.summary} [${d.address}]`) }));
      expect(invalid).toEqual([]);
    },
    600000,
  );
});
