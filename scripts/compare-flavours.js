#!/usr/bin/env node
/**
 * The cross-flavour check: the Terraform JSON of every stack, synthesized on
 * cdktf and on CDK Terrain (cdktn) from the same sources, must be the same
 * document apart from the differences listed in EXPECTED, each with its reason.
 * Resources, data sources, outputs, providers, the backend, locals, variables
 * and modules must be identical: same addresses, same attributes.
 *
 *   node scripts/compare-flavours.js [cdktf-outdir] [cdktn-outdir]
 *       defaults: cdktf.out (npm run synth) and cdktf.out/cdktn (npm run synth:cdktn)
 *
 * Prints a table per stack and every difference; exits 1 on any difference not
 * in EXPECTED, on a stack only one side has, or on nothing to compare.
 * test/flavours/cross-flavour.flavour-test.ts runs the same comparison on
 * outputs it synthesizes itself (`npm run test:cdktn`).
 */
const fs = require("fs");
const path = require("path");

/** The sections whose every entry must be identical, counted in the report. */
const SECTIONS = ["resource", "data", "output", "provider", "locals", "variable", "module"];

/** The only differences allowed between the flavours, by their keys from the document's top, with why each differs. */
const EXPECTED = [
  {
    keys: ["//", "metadata", "version"],
    why: "the version of the core library that synthesized the stack; metadata only (Terraform ignores `//` keys)",
  },
  {
    keys: ["terraform", "required_providers", "aws", "version"],
    why: "each prebuilt provider package pins the hashicorp/aws release its classes were generated from; `terraform init -upgrade` moves the lock file to it",
  },
  {
    keys: ["terraform", "required_providers", "aws", "source"],
    why: 'cdktf writes the short source "aws", cdktn the full "hashicorp/aws": Terraform reads both as registry.terraform.io/hashicorp/aws, the same provider address in state',
  },
];

/** Every place where two JSON values differ (a missing key is a difference): { keys, path, a, b }. */
function differences(a, b, keys = []) {
  if (a === b) return [];
  const isObject = (v) => v !== null && typeof v === "object";
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return [{ keys, path: pathOf(keys), a, b }];
  const all = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return all.flatMap((k) => {
    const at = [...keys, k];
    if (!(k in a)) return [{ keys: at, path: pathOf(at), a: undefined, b: b[k] }];
    if (!(k in b)) return [{ keys: at, path: pathOf(at), a: a[k], b: undefined }];
    return differences(a[k], b[k], at);
  });
}

/** Keys as a readable path: `terraform.required_providers.aws.version`, `//.metadata.version`. */
const pathOf = (keys) => keys.map((k) => (/^[\w/-]+$/.test(k) ? k : JSON.stringify(k))).join(".");
const sameKeys = (x, y) => x.length === y.length && x.every((k, i) => k === y[i]);

/** Entries of a section: `type.name` for resource and data, the key for the others. */
function entries(json, section) {
  const body = json[section];
  if (!body || typeof body !== "object") return [];
  if (section === "resource" || section === "data") return Object.entries(body).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
  return Object.keys(body);
}

/** Compares one stack's two documents. */
function compareStack(name, a, b) {
  const diffs = differences(a, b).map((d) => ({ ...d, expected: EXPECTED.find((e) => sameKeys(e.keys, d.keys)) }));
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, { count: entries(a, s).length, differing: diffs.filter((d) => d.keys[0] === s).length }]));
  const topLevel = [...new Set(diffs.map((d) => d.keys[0] ?? "(document)"))];
  return { name, sections, diffs, unexpected: diffs.filter((d) => !d.expected), topLevel };
}

function readStacks(outdir) {
  const dir = path.join(outdir, "stacks");
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .filter((s) => fs.existsSync(path.join(dir, s, "cdk.tf.json")))
      .map((s) => [s, JSON.parse(fs.readFileSync(path.join(dir, s, "cdk.tf.json"), "utf8"))]),
  );
}

/**
 * Compares two synth outputs (folders holding stacks/<name>/cdk.tf.json).
 * Returns { stacks: [compareStack results], onlyIn: { a: [...], b: [...] }, ok }.
 */
function compareOutputs(dirA, dirB) {
  const a = readStacks(dirA);
  const b = readStacks(dirB);
  const names = Object.keys(a).filter((n) => n in b);
  const stacks = names.map((n) => compareStack(n, a[n], b[n]));
  const onlyIn = { a: Object.keys(a).filter((n) => !(n in b)), b: Object.keys(b).filter((n) => !(n in a)) };
  const ok = names.length > 0 && onlyIn.a.length === 0 && onlyIn.b.length === 0 && stacks.every((s) => s.unexpected.length === 0);
  return { stacks, onlyIn, ok };
}

const show = (v) => (v === undefined ? "(absent)" : JSON.stringify(v));

/** The report as lines of text. */
function report(result, labels = ["cdktf", "cdktn"]) {
  const lines = [];
  const head = ["stack", ...SECTIONS.slice(0, 3).map((s) => `${s} (differing)`), "other differences"];
  const rows = result.stacks.map((s) => [
    s.name,
    ...SECTIONS.slice(0, 3).map((sec) => `${s.sections[sec].count} (${s.sections[sec].differing})`),
    String(s.diffs.length - SECTIONS.slice(0, 3).reduce((n, sec) => n + s.sections[sec].differing, 0)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows])
    lines.push(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    );
  for (const s of result.stacks) {
    const other = SECTIONS.slice(3).filter((sec) => s.sections[sec].differing > 0);
    if (other.length > 0) lines.push(`${s.name}: differences in ${other.join(", ")}`);
    lines.push(`${s.name}: top-level keys that differ: ${s.topLevel.length ? s.topLevel.join(", ") : "none"}`);
  }
  const seen = new Map();
  for (const s of result.stacks)
    for (const d of s.diffs)
      seen.set(`${d.path}\0${show(d.a)}\0${show(d.b)}`, { ...d, stacks: [...(seen.get(`${d.path}\0${show(d.a)}\0${show(d.b)}`)?.stacks ?? []), s.name] });
  for (const d of seen.values()) {
    lines.push(`${d.expected ? "expected  " : "UNEXPECTED"} ${d.path}: ${labels[0]} ${show(d.a)}, ${labels[1]} ${show(d.b)} [${d.stacks.join(", ")}]`);
    if (d.expected) lines.push(`           why: ${d.expected.why}`);
  }
  if (result.onlyIn.a.length) lines.push(`UNEXPECTED stacks only in ${labels[0]}: ${result.onlyIn.a.join(", ")}`);
  if (result.onlyIn.b.length) lines.push(`UNEXPECTED stacks only in ${labels[1]}: ${result.onlyIn.b.join(", ")}`);
  if (result.stacks.length === 0) lines.push("nothing to compare: run `npm run synth` and `npm run synth:cdktn` first");
  const unexpected = result.stacks.reduce((n, s) => n + s.unexpected.length, 0);
  lines.push(
    result.ok
      ? `cross-flavour: ${result.stacks.length} stacks, 0 differences in resources, data sources and outputs, no unexpected difference`
      : `cross-flavour: FAILED, ${unexpected} unexpected difference(s)`,
  );
  return lines;
}

module.exports = { compareOutputs, compareStack, differences, report, EXPECTED, SECTIONS };

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const [dirA = path.join(root, "cdktf.out"), dirB = path.join(root, "cdktf.out", "cdktn")] = process.argv.slice(2);
  const result = compareOutputs(dirA, dirB);
  console.log(`comparing ${path.relative(process.cwd(), dirA) || "."} (cdktf) with ${path.relative(process.cwd(), dirB)} (cdktn)`);
  for (const line of report(result)) console.log(line);
  process.exitCode = result.ok ? 0 : 1;
}
