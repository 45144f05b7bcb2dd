/**
 * `ml-network-cdktf/testing`: jest support for apps built with these modules.
 *
 * In jest.config.js:  setupFilesAfterEnv: ["ml-network-cdktf/testing/setup"]
 * Or in a setup file:  import { setupJest } from "ml-network-cdktf/testing"; setupJest();
 *
 * Then cdktf's resource matchers and the network matchers are typed and ready:
 *   expect(Testing.synth(stack)).toHaveResource(Vpc);
 *   expect(stack).toReach("private", "s3", { via: "gateway endpoint" });
 */
import { Testing } from "cdktf";
import { networkMatchers } from "./matchers";
import "./jest";

export { toReach, toAllowFlow, toPassCompliance, networkMatchers, VIAS, DESTINATIONS, type Via, type ReachOptions } from "./matchers";
export { terraformJson, hasMetadata, type Synthesized } from "./synthesized";

interface JestExpect {
  extend(matchers: Record<string, (this: unknown, received: never, ...args: never[]) => { pass: boolean; message: () => string }>): void;
}

/**
 * Registers cdktf's matchers (`Testing.setupJest()`) and the network
 * matchers on jest's global `expect`. Call it once per test file, or use the
 * `ml-network-cdktf/testing/setup` entry as a setup file.
 */
export function setupJest(): void {
  const expect = (globalThis as { expect?: JestExpect }).expect;
  if (!expect || typeof expect.extend !== "function") {
    throw new Error("setupJest() needs jest's global expect: call it from a jest setup file (setupFilesAfterEnv) or a test file");
  }
  Testing.setupJest();
  expect.extend(networkMatchers);
}
