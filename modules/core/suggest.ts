/**
 * "Did you mean" suggestions for names from a fixed list (endpoint services,
 * instance types), ranked by fastest-levenshtein's edit distance.
 */
import { distance } from "fastest-levenshtein";

/** The closest candidates: those that start with or contain the input first, then by edit distance. */
export function closest(name: string, candidates: readonly string[], count = 3): string[] {
  const n = name.toLowerCase();
  const rank = (c: string) => (c.startsWith(n) ? 0 : c.includes(n) ? 1 : 2) * 1000 + distance(n, c.toLowerCase());
  return [...candidates].sort((a, b) => rank(a) - rank(b)).slice(0, count);
}

/** `did you mean "a", "b", "c"?` for a value not in `candidates`. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  return `did you mean ${closest(name, candidates)
    .map((c) => `"${c}"`)
    .join(", ")}?`;
}
