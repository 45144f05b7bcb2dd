import { fromBlueprint } from "./blueprint";
import { COMMON_TAGS, primaryAz, regionZones, trainingTier } from "./common";

const region = "us-east-1";
const availabilityZones = regionZones(region, 2);

/**
 * dev: the multi-modal architecture with a notebook. Two AZs, one NAT gateway
 * (cheap; an AZ outage cuts dev's egress, which is acceptable), interface
 * endpoints in one AZ, a training tier for experiments.
 *
 * dev is where experiments install packages: notebooks and training jobs may
 * reach the internet on 443 through the NAT gateway, so the training tier
 * routes through it (natEgress). Staging and prod keep training off the
 * internet and reach AWS through endpoints only.
 */
export const dev = fromBlueprint("multiModal", {
  name: "dev",
  region,
  tags: { ...COMMON_TAGS, Environment: "dev", Compliance: "internal" },
  network: {
    cidr: "10.10.0.0/16",
    availabilityZones,
    tiers: { training: { ...trainingTier(availabilityZones), natEgress: true } },
    nat: "single",
    flowLogs: { retentionDays: 30 },
  },
  securityGroups: {
    // Experimentation: notebooks and training may pip-install through the NAT.
    internetEgress: ["notebook", "training"],
    inference: { callerGroups: ["notebook"] },
  },
  // Essentials plus the multi-modal services, in one AZ: about $51 a month instead of $102 for two.
  endpoints: { interface: { services: ["essentials", "rekognition"], availabilityZones: [primaryAz(availabilityZones)] } },
  sagemaker: { notebooks: { research: {} } },
});
