/**
 * What the matchers accept: a stack, the string `Testing.synth()` returns, or
 * parsed Terraform JSON. A stack is rendered with its `//` metadata, which
 * carries the modules' recorded suppressions and construct paths (cdktf's
 * `Testing.synth()` strips it).
 */
import { TerraformStack, Testing } from "cdktf";
import type { TfJsonShape } from "../analysis";

export type Synthesized = TerraformStack | string | TfJsonShape;

/** Terraform JSON of what a test holds; for a stack, aspects run first, as in synth. */
export function terraformJson(received: Synthesized): TfJsonShape {
  if (TerraformStack.isStack(received)) {
    // Testing.synth invokes the stack's aspects (which may add resources); its output lacks the metadata, so render again.
    Testing.synth(received);
    return received.toTerraform() as TfJsonShape;
  }
  if (typeof received === "string") {
    try {
      return JSON.parse(received) as TfJsonShape;
    } catch {
      throw new TypeError("expected a TerraformStack, the JSON string of Testing.synth(stack), or parsed Terraform JSON; got a string that is not JSON");
    }
  }
  if (received === null || typeof received !== "object") {
    throw new TypeError(
      `expected a TerraformStack, the JSON string of Testing.synth(stack), or parsed Terraform JSON; got ${received === null ? "null" : typeof received}`,
    );
  }
  return received;
}

/** Whether the JSON still carries cdktf's `//` metadata (suppressions travel in it). */
export function hasMetadata(json: TfJsonShape): boolean {
  const resources = (json as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {};
  return Object.values(resources).some((byName) => Object.values(byName).some((body) => "//" in body));
}
