/**
 * Schema helpers shared by the modules' zod schemas: lists whose repeated
 * entries are dropped (they would mean nothing twice, and would otherwise
 * clash as construct ids), and the guard against keys that JavaScript treats
 * specially (`__proto__` would silently drop a cluster from a record).
 */
import { z } from "zod";
import type { ConfigIssue } from "./errors";

/** Identity of a list entry for de-duplication: the same JSON means the same entry. */
function entryKey(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The entries of a list in first-seen order, each once. */
export function unique<T>(values: readonly T[]): T[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = entryKey(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A list whose repeated entries are removed, keeping first-seen order: naming an entry twice has no effect. */
export function uniqueList<T extends z.ZodType>(element: T) {
  return z.array(element).transform((values) => unique(values));
}

/** Keys JavaScript gives meaning to on every object; as names in a config they would vanish or corrupt a lookup. */
export const RESERVED_KEYS = ["__proto__", "constructor", "prototype"] as const;

/**
 * Every own key of the input, at any depth, that is a reserved JavaScript
 * name, as an issue at the path the user wrote. Cycles are tolerated.
 */
export function reservedKeyIssues(input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new WeakSet<object>();
  const walk = (value: unknown, path: string) => {
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    // `{ __proto__: {...} }` in an object literal sets the prototype instead of a key: the entry vanishes.
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) === Object.prototype) {
      issues.push({
        path: path ? `${path}.__proto__` : "__proto__",
        value: proto,
        message: "sets the object's prototype instead of naming an entry: the entry is lost",
        fix: 'rename "__proto__" (for example "proto-1")',
      });
    }
    for (const key of Object.keys(value)) {
      const child = path ? `${path}.${key}` : key;
      if ((RESERVED_KEYS as readonly string[]).includes(key)) {
        issues.push({
          path: child,
          value: key,
          message: "is a name JavaScript reserves for objects; as a key it is dropped or breaks lookups",
          fix: `rename "${key}" (for example "${key.replace(/_/g, "")}-1")`,
        });
        continue;
      }
      walk((value as Record<string, unknown>)[key], child);
    }
  };
  walk(input, "");
  return issues;
}

/** True when `key` is an own property of `record` (not something inherited, such as `constructor`). */
export function hasOwn(record: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}
