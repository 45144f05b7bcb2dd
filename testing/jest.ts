/**
 * Types of the matchers that `setupJest()` registers: cdktf's own (cdktf
 * 0.21 declares them on a `jest.Matchers<R>` that no longer merges with
 * @types/jest's `Matchers<R, T>`, so a stock ts-jest app gets TS2339) and
 * this package's network matchers.
 */
import type { TerraformConstructor } from "cdktf/lib/testing/matchers";
import type { PolicyOptions } from "../analysis";
import type { Protocol } from "../modules";
import type { ReachOptions } from "./matchers";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> {
      toHaveResource(resourceConstructor: TerraformConstructor): R;
      toHaveResourceWithProperties(resourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveDataSource(dataSourceConstructor: TerraformConstructor): R;
      toHaveDataSourceWithProperties(dataSourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveProvider(providerConstructor: TerraformConstructor): R;
      toHaveProviderWithProperties(providerConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toBeValidTerraform(): R;
      toPlanSuccessfully(): R;
      /**
       * A tier reaches a destination: `internet`, `s3`, `dynamodb`,
       * `on-premises`, an interface endpoint by service name, or a load
       * balancer by name (and through it its targets); or, with `internet` as
       * `from`, the internet reaches a tier or a load balancer. DNS:
       * `("on-premises", "dns")` for the inbound Resolver endpoint,
       * `("dns", "<domain>")` for a forwarding rule.
       */
      toReach(from: string, to: string, options?: ReachOptions): R;
      /** Members of one security group can open the port to members of another (groups by name or role, e.g. `notebook`). */
      toAllowFlow(fromGroup: string, toGroup: string, port: number | "all", protocol?: Protocol): R;
      /** No unsuppressed error of the compliance pack. */
      toPassCompliance(options?: PolicyOptions): R;
    }
  }
}

export {};
