/**
 * Types that help (checked by `npm run typecheck`, which fails when an
 * expectation below stops holding): service and group names are literal
 * unions, and the security groups' ids are typed per group that exists.
 */
import { Testing } from "cdktf";
import { MlVpc } from "../modules/network";
import { SegmentedSecurityGroups } from "../modules/security-groups";
import type { VpcEndpointsConfig } from "../modules/endpoints";
import type { SegmentedSecurityGroupsConfig } from "../modules/security-groups";
import { baseProps } from "./helpers";

describe("typed names and ids", () => {
  it("gives every core group's id as a string, and efa's only when efa is on", () => {
    Testing.synthScope((scope) => {
      const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
      const withEfa = new SegmentedSecurityGroups(scope, "a", { network, efa: true });
      const without = new SegmentedSecurityGroups(scope, "b", { network });
      const notebook: string = without.ids.notebook;
      const efa: string = withEfa.ids.efa;
      // @ts-expect-error efa may be absent when the props did not turn it on
      const maybe: string = without.ids.efa;
      expect([notebook, efa, maybe].every((id) => typeof id === "string" || id === undefined)).toBe(true);
      expect(without.ids.efa).toBeUndefined();
    });
  });

  it("rejects misspelled service and group names at compile time", () => {
    const ok: VpcEndpointsConfig = { interface: { services: ["essentials", "sagemaker.api"] } };
    // @ts-expect-error "sagemaker-api" is not a catalog service
    const badService: VpcEndpointsConfig = { interface: { services: ["sagemaker-api"] } };
    // @ts-expect-error "notebooks" is not a security group
    const badGroup: SegmentedSecurityGroupsConfig = { internetEgress: ["notebooks"] };
    expect([ok, badService, badGroup]).toHaveLength(3);
  });
});
