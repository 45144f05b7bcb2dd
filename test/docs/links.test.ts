/**
 * The docs are walked, not searched: the README is a short front door, every
 * page it promises is one click away, every relative link (and anchor) lands
 * somewhere, and nothing points outside the repository (users' clones carry
 * no sibling folders, and outside pages move).
 */
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "../..");

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(full);
    return e.name.endsWith(".md") ? [full] : [];
  });
}

const pages = [path.join(root, "README.md"), ...markdownFiles(path.join(root, "docs"))];

/** Links of a markdown text, outside code blocks and code spans. */
function linksOf(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = text.replace(/```[\s\S]*?```/g, "");
  for (const m of prose.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    anchors.add(n === 0 ? base : `${base}-${n}`);
    seen.set(base, n + 1);
  }
  for (const m of text.matchAll(/<a id="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

const rel = (f: string) => path.relative(root, f);

describe("documentation", () => {
  it("every relative link and anchor resolves", () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = fs.readFileSync(page, "utf8");
      for (const link of linksOf(text)) {
        if (/^[a-z]+:/i.test(link)) continue; // external: the next test
        const [file, anchor] = link.split("#");
        const target = file === "" ? page : path.resolve(path.dirname(page), decodeURIComponent(file));
        if (!target.startsWith(root + path.sep)) broken.push(`${rel(page)}: ${link} leaves the repository`);
        else if (!fs.existsSync(target)) broken.push(`${rel(page)}: ${link} (no such file)`);
        else if (anchor && target.endsWith(".md") && !anchorsOf(fs.readFileSync(target, "utf8")).has(anchor))
          broken.push(`${rel(page)}: ${link} (no heading #${anchor} in ${rel(target)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("no link points outside the repository", () => {
    const external = pages.flatMap((page) =>
      linksOf(fs.readFileSync(page, "utf8"))
        .filter((l) => /^[a-z]+:/i.test(l) && !l.startsWith("mailto:"))
        .map((l) => `${rel(page)}: ${l}`),
    );
    expect(external).toEqual([]);
  });

  it("the README is a front door of at most 300 lines", () => {
    expect(fs.readFileSync(path.join(root, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(300);
  });

  it("every module page, and every other page, is one click from the README", () => {
    const fromReadme = new Set(linksOf(fs.readFileSync(path.join(root, "README.md"), "utf8")).map((l) => path.resolve(root, l.split("#")[0])));
    const handWritten = pages.filter(
      (p) => !p.includes(`${path.sep}api${path.sep}`) && !p.includes(`${path.sep}examples${path.sep}`) && !p.endsWith("README.md"),
    );
    expect(handWritten.filter((p) => !fromReadme.has(p)).map(rel)).toEqual([]);
    expect(handWritten.filter((p) => p.includes(`${path.sep}modules${path.sep}`)).length).toBeGreaterThanOrEqual(9);
  });

  it("every module of modules/ has its page", () => {
    const modules = fs
      .readdirSync(path.join(root, "modules"), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== "core")
      .map((e) => e.name);
    const missing = modules.filter((m) => !fs.existsSync(path.join(root, "docs", "modules", `${m}.md`)));
    expect(missing).toEqual([]);
  });
});
