/**
 * fromBlueprint: an environment that starts from a reference architecture.
 * The preset comes first, the environment's own settings are merged over it
 * (objects field by field, lists replaced, null removes), and the blueprint is
 * recorded so its defining traits are checked whenever the config is resolved.
 */
import { BLUEPRINTS, mergeConfig, type BlueprintName } from "../modules/blueprints";
import type { SubnetTiersProps } from "../modules/network";
import type { EnvironmentConfig } from "./config";

export interface BlueprintEnvironment extends Omit<EnvironmentConfig, "network" | "blueprint"> {
  /** As EnvironmentConfig's network, with tiers optional. */
  readonly network: Omit<EnvironmentConfig["network"], "tiers"> & {
    /** Subnet tiers, merged over the blueprint's. @default - the blueprint's tiers */
    readonly tiers?: SubnetTiersProps;
  };
  /** Defining traits this environment breaks on purpose, each with its reason. @default - none */
  readonly deviations?: Record<string, string>;
}

export function fromBlueprint(name: BlueprintName, env: BlueprintEnvironment): EnvironmentConfig {
  const { deviations, ...rest } = env;
  const preset = BLUEPRINTS[name].preset(env.network.availabilityZones);
  const merged = mergeConfig(preset as unknown as Record<string, unknown>, rest) as unknown as EnvironmentConfig;
  return { ...merged, blueprint: { name, ...(deviations ? { deviations } : {}) } };
}
