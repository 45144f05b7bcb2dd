/** The project's environments and the stack that builds each. */
import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";
import type { EnvironmentConfig } from "./config";

export const ENVIRONMENTS: readonly EnvironmentConfig[] = [dev, staging, prod];

export { dev, staging, prod };
export * from "./config";
export { MlPlatformStack } from "./stack";
export { fromBlueprint, type BlueprintEnvironment } from "./blueprint";
