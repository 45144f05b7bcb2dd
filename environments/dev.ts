import type { EnvironmentConfig } from "./config";
import { COMMON_TAGS } from "./common";

/** dev: two AZs, one NAT gateway (cheap; an AZ outage cuts dev's egress, which is acceptable). */
export const dev: EnvironmentConfig = {
  name: "dev",
  region: "us-east-1",
  tags: { ...COMMON_TAGS, Environment: "dev", Compliance: "internal" },
  network: {
    cidr: "10.10.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    tiers: {
      public: { prefixLength: 24 },
      private: { prefixLength: 20 },
      isolated: { prefixLength: 24 },
      training: { prefixLength: 20, availabilityZones: ["us-east-1a"] },
    },
    nat: "single",
    flowLogs: { retentionDays: 30 },
  },
};
