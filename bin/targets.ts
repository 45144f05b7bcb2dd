/**
 * What the command-line tools read, and the settings both tools share.
 *
 * A target is, in this order:
 * - `example:<name>`: one of this package's example environments;
 * - a path (it has a `/`, ends in `.json`, or exists): a Terraform JSON file,
 *   or a stack folder (one holding `cdk.tf.json`);
 * - a bare name: the current project's stack
 *   `<cwd>/<outdir>/stacks/<name>/cdk.tf.json` (outdir: `CDKTF_OUTDIR`, else
 *   cdktf.json's `output`, else `cdktf.out`), and only when there is none, the
 *   example environment of that name, synthesized in memory from the
 *   package's code.
 *
 * Every target gets a name for titles and report folders: the stack folder
 * for a `cdk.tf.json`, else the file name without `.tf.json`; names that
 * would collide get the first parent folder that tells them apart.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { CommanderError, InvalidArgumentError } from "commander";
import { ENVIRONMENTS, MlPlatformStack, resolveEnvironments } from "../environments";
import { REQUIRED_TAGS, requiredTagsIssues } from "../analysis/policy";
import type { TfJsonShape } from "../analysis/tfjson";

export interface Target {
  /** Unique among the targets of one run: the report's folder and title. */
  readonly name: string;
  /** For headings: the path as given, `stack dev (cdktf.out/stacks/dev/cdk.tf.json)`, or `example environment prod`. */
  readonly label: string;
  readonly kind: "file" | "stack" | "example";
  /** The JSON file read (absolute), for files and stacks. */
  readonly file?: string;
  readonly json: TfJsonShape;
  /** Set for example environments, for environment-specific rules. */
  readonly environment?: string;
  readonly onPremisesCidrs?: readonly string[];
}

/** Where the tools look: the current project. Defaults: the process's working directory and environment. */
export interface CliContext {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A mistake in the command line or a settings file: the tools print the message and exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const STACK_FILE = "cdk.tf.json";
const EXAMPLE_PREFIX = "example:";

const cwdOf = (context: CliContext) => path.resolve(context.cwd ?? process.cwd());

/** For messages: a path relative to the project when it lies inside it. */
export function shown(file: string, context: CliContext): string {
  const rel = path.relative(cwdOf(context), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** The cdktf output folder of the project: CDKTF_OUTDIR, else cdktf.json's `output`, else cdktf.out. */
export function outdirOf(context: CliContext = {}): string {
  const cwd = cwdOf(context);
  const fromEnv = (context.env ?? process.env).CDKTF_OUTDIR;
  if (fromEnv) return path.resolve(cwd, fromEnv);
  try {
    const config = JSON.parse(fs.readFileSync(path.join(cwd, "cdktf.json"), "utf8")) as { output?: unknown };
    if (typeof config.output === "string" && config.output !== "") return path.resolve(cwd, config.output);
  } catch {
    // no cdktf.json, or not JSON: the default
  }
  return path.join(cwd, "cdktf.out");
}

/** The stacks the project has synthesized: folders of `<outdir>/stacks` holding cdk.tf.json (or only cdk.tf, which the tools cannot read). */
export function projectStacks(context: CliContext = {}): { dir: string; json: string[]; hclOnly: string[] } {
  const dir = path.join(outdirOf(context), "stacks");
  const folders = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && !e.name.startsWith("."))
        .map((e) => e.name)
        .sort()
    : [];
  const has = (name: string, file: string) => fs.existsSync(path.join(dir, name, file));
  return { dir, json: folders.filter((f) => has(f, STACK_FILE)), hclOnly: folders.filter((f) => !has(f, STACK_FILE) && has(f, "cdk.tf")) };
}

const exampleNames = () => ENVIRONMENTS.map((e) => e.name);

/** What a bare name can be, for `--help` and for errors. */
export function targetsHelp(context: CliContext = {}): string {
  const stacks = projectStacks(context);
  const where = shown(stacks.dir, context);
  const found = stacks.json.length > 0 ? `${where}: ${stacks.json.join(", ")}` : `${where}: none found`;
  const hcl = stacks.hclOnly.length > 0 ? `\n  (HCL only, not readable: ${stacks.hclOnly.join(", ")}; synthesize JSON)` : "";
  return [
    "",
    "Targets: a path to a .tf.json file or to a stack folder (one holding cdk.tf.json), or a name.",
    "A name is a stack of this project first, else one of the package's example environments.",
    `  stacks in ${found}${hcl}`,
    `  example environments: ${exampleNames().join(", ")} (synthesized in memory; ${EXAMPLE_PREFIX}<name> when a stack has the same name)`,
  ].join("\n");
}

type Resolved = { kind: "file" | "stack"; file: string; label: string } | { kind: "example"; environment: string; label: string };

const looksLikePath = (arg: string) => /[/\\]/.test(arg) || /\.json$/i.test(arg) || arg === "." || arg === "..";

function notFound(arg: string, context: CliContext): UsageError {
  const stacks = projectStacks(context);
  const found = stacks.json.length > 0 ? `has ${stacks.json.join(", ")}` : "has none";
  return new UsageError(
    `"${arg}" is not a stack of this project (${shown(stacks.dir, context)} ${found}) and is neither an environment (${exampleNames().join(", ")}) nor a file. ` +
      `Fix: name a stack, an example environment, or a path to a .tf.json file or a stack folder`,
  );
}

/** A path given on the command line: a JSON file, or a stack folder. */
function resolvePath(arg: string, context: CliContext): Resolved {
  const full = path.resolve(cwdOf(context), arg);
  if (!fs.existsSync(full)) throw new UsageError(`"${arg}" does not exist (looked at ${full}). Fix: give the path to a .tf.json file or a stack folder`);
  if (fs.statSync(full).isDirectory()) {
    const file = path.join(full, STACK_FILE);
    if (fs.existsSync(file)) return { kind: "stack", file, label: arg };
    const hcl = fs.existsSync(path.join(full, "cdk.tf"));
    const inside = ["stacks", path.join("cdktf.out", "stacks")].map((d) => path.join(full, d)).find((d) => fs.existsSync(d));
    const stacks = inside ? fs.readdirSync(inside).filter((s) => fs.existsSync(path.join(inside, s, STACK_FILE))) : [];
    throw new UsageError(
      hcl
        ? `"${arg}" holds cdk.tf (HCL); the tools read Terraform JSON. Fix: synthesize JSON (cdktf synth without --hcl)`
        : stacks.length > 0
          ? `"${arg}" is not a stack folder; it holds the stacks ${stacks.join(", ")} in ${shown(inside!, context)}. Fix: name one of them`
          : `"${arg}" is a folder without ${STACK_FILE}. Fix: give a stack folder (cdktf.out/stacks/<name>) or a .tf.json file`,
    );
  }
  if (/\.tf$/i.test(full)) throw new UsageError(`"${arg}" is HCL; the tools read Terraform JSON. Fix: synthesize JSON (cdktf synth without --hcl)`);
  return { kind: path.basename(full) === STACK_FILE ? "stack" : "file", file: full, label: arg };
}

/** One command-line argument, resolved without reading or synthesizing anything. */
function resolveTarget(arg: string, context: CliContext): Resolved {
  if (arg.startsWith(EXAMPLE_PREFIX)) {
    const name = arg.slice(EXAMPLE_PREFIX.length);
    if (!exampleNames().includes(name))
      throw new UsageError(`"${arg}": the example environments are ${exampleNames().join(", ")}. Fix: name one of them after ${EXAMPLE_PREFIX}`);
    return { kind: "example", environment: name, label: `example environment ${name}` };
  }
  if (looksLikePath(arg)) return resolvePath(arg, context);
  const stack = path.join(projectStacks(context).dir, arg, STACK_FILE);
  if (fs.existsSync(stack)) return { kind: "stack", file: stack, label: `stack ${arg} (${shown(stack, context)})` };
  if (fs.existsSync(path.join(path.dirname(stack), "cdk.tf"))) return resolvePath(shown(path.dirname(stack), context), context);
  if (exampleNames().includes(arg)) return { kind: "example", environment: arg, label: `example environment ${arg}` };
  if (fs.existsSync(path.resolve(cwdOf(context), arg))) return resolvePath(arg, context);
  throw notFound(arg, context);
}

function readJson(r: Extract<Resolved, { file: string }>): TfJsonShape {
  let parsed: TfJsonShape | null | unknown[];
  try {
    parsed = JSON.parse(fs.readFileSync(r.file, "utf8")) as TfJsonShape | null | unknown[];
  } catch (err) {
    throw new UsageError(`${r.label}: not valid JSON (${(err as Error).message}). Fix: give synthesized Terraform JSON (cdk.tf.json)`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new UsageError(`${r.label}: JSON, but not Terraform JSON (not an object). Fix: give synthesized Terraform JSON (cdk.tf.json)`);
  return parsed;
}

/** What to undo if the process ends early: temporary folders in use, progress bars on the terminal. */
const cleanups = new Set<() => void>();

/** Registers `fn` to run on exit or interruption (installCleanup); returns what unregisters it. */
export function onCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every registered cleanup once. */
export function runCleanups(): void {
  const pending = [...cleanups];
  cleanups.clear();
  for (const fn of pending) {
    try {
      fn();
    } catch {
      // best effort: the next one still runs
    }
  }
}

/** Runs `fn` with a new temporary folder, and removes the folder whatever happens (on exit and interruption too). */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ml-network-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const unregister = onCleanup(remove);
  try {
    return fn(dir);
  } finally {
    remove();
    unregister();
  }
}

/**
 * For the command-line entry points: cleanups run on exit, Ctrl-C and
 * SIGTERM. A signal that arrives during synchronous work (an in-memory
 * synthesis) is handled right after it, once its temporary folder is gone.
 */
export function installCleanup(): void {
  process.once("exit", runCleanups);
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      runCleanups();
      process.exit(code);
    });
  }
}

/** The synthesized JSON of the named example environments, validated together as `npm run synth` does. */
function synthesizeExamples(names: readonly string[]): Map<string, { json: TfJsonShape; onPremisesCidrs: readonly string[] }> {
  const out = new Map<string, { json: TfJsonShape; onPremisesCidrs: readonly string[] }>();
  if (names.length === 0) return out;
  const resolved = resolveEnvironments(ENVIRONMENTS);
  // cdktf's App creates its output folder; nothing is written there, and it goes when the JSON is rendered.
  withTempDir((outdir) => {
    const app = new App({ outdir });
    for (const env of resolved.filter((e) => names.includes(e.name))) {
      out.set(env.name, { json: new MlPlatformStack(app, env).toTerraform(), onPremisesCidrs: env.onPremisesCidrs });
    }
  });
  return out;
}

/** What a target's name is made of: the stack folder of a cdk.tf.json, else the file name without .tf.json / .json; and the folders above it. */
export interface NameParts {
  readonly base: string;
  /** Parent folders, nearest first (none for an example). */
  readonly parents: readonly string[];
  readonly example?: boolean;
}

function nameParts(r: Resolved): NameParts {
  if (r.kind === "example") return { base: r.environment, parents: [], example: true };
  const own = path.basename(r.file) === STACK_FILE ? path.dirname(r.file) : r.file;
  const base = path.basename(own).replace(/(\.tf)?\.json$/i, "");
  return { base, parents: path.dirname(own).split(/[\\/]/).filter(Boolean).reverse() };
}

/**
 * Unique names, compared case-insensitively (for case-insensitive file
 * systems). When several targets share a name, an example environment
 * among them becomes `example-<name>`, and the others get the first parent
 * folder at which their paths differ (`a-team1`, `a-team2`). What still
 * collides gets a number.
 */
export function uniqueNames(items: readonly NameParts[]): string[] {
  const names = items.map((i) => i.base);
  const key = (n: string) => n.toLowerCase();
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => groups.set(key(item.base), [...(groups.get(key(item.base)) ?? []), i]));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const files = members.filter((i) => !items[i].example);
    if (files.length > 0) for (const i of members.filter((m) => items[m].example)) names[i] = `example-${items[i].base}`;
    const depth = Math.max(0, ...files.map((i) => items[i].parents.length));
    for (let level = 0; files.length > 1 && level < depth; level++) {
      const at = files.map((i) => items[i].parents[level] ?? "");
      if (new Set(at).size === 1) continue;
      for (const i of files) if (items[i].parents[level]) names[i] = `${items[i].base}-${items[i].parents[level]}`;
      break;
    }
  }
  const seen = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 2; seen.has(key(unique)); n++) unique = `${name}-${n}`;
    seen.add(key(unique));
    return unique;
  });
}

/**
 * Resolves every argument first (a bad one fails before anything is read or
 * synthesized), then reads the files and synthesizes the examples. The same
 * file or example given twice is loaded once.
 */
export function loadTargets(args: readonly string[], context: CliContext = {}): Target[] {
  const all = args.map((arg) => resolveTarget(arg, context));
  const identity = (r: Resolved) => (r.kind === "example" ? `example:${r.environment}` : `file:${r.file}`);
  const resolved = all.filter((r, i) => all.findIndex((o) => identity(o) === identity(r)) === i);
  const examples = synthesizeExamples(resolved.flatMap((r) => (r.kind === "example" ? [r.environment] : [])));
  const names = uniqueNames(resolved.map(nameParts));
  return resolved.map((r, i): Target => {
    if (r.kind === "example") {
      const env = examples.get(r.environment)!;
      return { name: names[i], label: r.label, kind: "example", json: env.json, environment: r.environment, onPremisesCidrs: env.onPremisesCidrs };
    }
    return { name: names[i], label: r.label, kind: r.kind, file: r.file, json: readJson(r) };
  });
}

/** Settings a team keeps in a file (`--config`). Room for more: unknown keys are refused, so a typo is not silently ignored. */
export interface CliSettings {
  /** Tag keys every resource must carry (MLN-TAG-1, MLN-TAG-2). */
  readonly requiredTags?: readonly string[];
}

const SETTINGS_KEYS: readonly (keyof CliSettings)[] = ["requiredTags"];

/** `--required-tags Environment,Team`: the keys, trimmed; a clear error for an empty or invalid list (commander exits 2). */
export function parseRequiredTags(value: string): string[] {
  const keys = value.split(",").map((k) => k.trim());
  const issues = requiredTagsIssues(value.trim() === "" ? [] : keys, "--required-tags");
  const what = (i: { path: string; value?: unknown }) => (i.path === "--required-tags" ? "the list" : JSON.stringify(i.value));
  if (issues.length > 0) throw new InvalidArgumentError(issues.map((i) => `${what(i)} ${i.message}; ${i.fix}`).join(". "));
  return keys;
}

/** Reads a settings file: JSON, `{ "requiredTags": [...] }`. */
export function loadSettings(file: string, context: CliContext = {}): CliSettings {
  const full = path.resolve(cwdOf(context), file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(full, "utf8"));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--config ${file}: ${e.code === "ENOENT" ? "no such file" : `not valid JSON (${e.message})`}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new UsageError(`--config ${file}: is not a JSON object. Fix: write { "requiredTags": ["Environment", "Team"] }`);
  const problems = Object.keys(parsed)
    .filter((k) => !(SETTINGS_KEYS as readonly string[]).includes(k))
    .map((k) => `"${k}" is not a setting (settings: ${SETTINGS_KEYS.join(", ")})`);
  const settings = parsed as { requiredTags?: unknown };
  if ("requiredTags" in settings)
    problems.push(...requiredTagsIssues(settings.requiredTags).map((i) => `${i.path} ${JSON.stringify(i.value)} ${i.message}; ${i.fix}`));
  if (problems.length > 0) throw new UsageError(`--config ${file}: ${problems.join(". ")}`);
  return settings as CliSettings;
}

/** The required tags of a run and where they came from: the flag wins over the settings file, which wins over the default. */
export function requiredTagsOf(flags: { requiredTags?: string[]; config?: string }, context: CliContext = {}): { tags: readonly string[]; from: string } {
  const settings = flags.config !== undefined ? loadSettings(flags.config, context) : {};
  if (flags.requiredTags) return { tags: flags.requiredTags, from: "--required-tags" };
  if (settings.requiredTags) return { tags: settings.requiredTags, from: `--config ${flags.config}` };
  return { tags: REQUIRED_TAGS, from: "default" };
}

/** The option help of the shared settings. */
export const REQUIRED_TAGS_HELP = `comma-separated tag keys every resource must carry (default: ${REQUIRED_TAGS.join(",")})`;
export const CONFIG_HELP = 'JSON settings file, e.g. { "requiredTags": ["Environment", "Team"] }; flags win over it';

/** The exit code of an error, after printing it: 0 for --help, 2 for usage errors (commander prints its own). */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return err.code === "commander.helpDisplayed" || err.code === "commander.version" ? 0 : 2;
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 2;
}
