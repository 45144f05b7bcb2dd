/**
 * Tags every resource carries besides the provider's default_tags: a readable
 * Name (what the console lists) and whatever extra tags the caller passed.
 */
export type Tags = Record<string, string>;

export function named(name: string, extra: Tags = {}, more: Tags = {}): Tags {
  return { ...extra, ...more, Name: name };
}

/** Construct-id-safe form of a CIDR: `10.0.0.0/16` -> `10-0-0-0-16`. */
export function cidrId(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}
