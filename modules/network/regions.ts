/**
 * Availability-zone letters per commercial and GovCloud region, used to reject
 * an AZ that does not exist at synth time (offline: no API call is made).
 *
 * Source: AWS documentation, "Regions and Availability Zones" and the EC2
 * `describe-availability-zones` output per region, as published in 2025.
 * Letters are names, not locations: AWS maps them to physical zones per
 * account. A region AWS opens later must be added here.
 */
export const REGION_AZ_LETTERS: Readonly<Record<string, string>> = {
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "abc",
  "us-west-2": "abcd",
  "ca-central-1": "abd",
  "ca-west-1": "abc",
  "mx-central-1": "abc",
  "sa-east-1": "abc",
  "eu-central-1": "abc",
  "eu-central-2": "abc",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-south-1": "abc",
  "eu-south-2": "abc",
  "eu-north-1": "abc",
  "il-central-1": "abc",
  "me-south-1": "abc",
  "me-central-1": "abc",
  "af-south-1": "abc",
  "ap-east-1": "abc",
  "ap-south-1": "abc",
  "ap-south-2": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "ap-southeast-3": "abc",
  "ap-southeast-4": "abc",
  "ap-southeast-5": "abc",
  "ap-southeast-7": "abc",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-northeast-3": "abc",
  "us-gov-west-1": "abc",
  "us-gov-east-1": "abc",
};

export const KNOWN_REGIONS = Object.keys(REGION_AZ_LETTERS);

/** True for a region of the table (an own key: "constructor" is not a region). */
export function isKnownRegion(region: unknown): region is string {
  return typeof region === "string" && Object.prototype.hasOwnProperty.call(REGION_AZ_LETTERS, region);
}

/** The AZ names of a known region, e.g. `us-east-2a, us-east-2b, us-east-2c`. */
export function zonesOf(region: string): string[] | undefined {
  const letters = isKnownRegion(region) ? REGION_AZ_LETTERS[region] : undefined;
  return letters ? [...letters].map((l) => `${region}${l}`) : undefined;
}

const AZ_NAME = /^([a-z]{2}(?:-gov)?-[a-z]+-\d+)([a-z])$/;

/** Splits `us-east-1c` into region `us-east-1` and letter `c`; undefined when malformed. */
export function parseAzName(az: string): { region: string; letter: string } | undefined {
  const m = AZ_NAME.exec(az);
  return m ? { region: m[1], letter: m[2] } : undefined;
}

/**
 * The CIDR slot of an AZ: its letter's position in the alphabet (a=0, b=1...).
 * Deriving the slot from the name, not from the AZ's position in a list, is
 * what keeps every subnet CIDR unchanged when AZs are added, removed or
 * reordered.
 */
export function azSlot(az: string): number {
  const parsed = parseAzName(az);
  if (!parsed) throw new Error(`not an availability-zone name: ${az}`);
  return parsed.letter.charCodeAt(0) - "a".charCodeAt(0);
}
