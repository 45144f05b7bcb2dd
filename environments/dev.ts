import type { EnvironmentConfig } from "./config";
import { COMMON_TAGS, STANDARD_TIERS } from "./common";

/** dev: two AZs, one NAT gateway (cheap; an AZ outage cuts dev's egress, which is acceptable). */
export const dev: EnvironmentConfig = {
  name: "dev",
  region: "us-east-1",
  tags: { ...COMMON_TAGS, Environment: "dev", Compliance: "internal" },
  network: {
    cidr: "10.10.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    tiers: STANDARD_TIERS,
    nat: "single",
    flowLogs: { retentionDays: 30 },
  },
  securityGroups: {
    // Experimentation: notebooks and training may pip-install through the NAT.
    internetEgress: ["notebook", "training"],
    inference: { callerGroups: ["notebook"] },
  },
  // Essentials in one AZ: about $44 a month instead of $88 for two.
  endpoints: { interface: { services: ["essentials"], availabilityZones: ["us-east-1a"] } },
};
