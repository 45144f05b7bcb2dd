/**
 * Ids of the compliance rules (analysis/policy), shared so that modules can
 * suppress a rule on their own resources with a typed id.
 */
export const RULE_IDS = [
  "MLN-VPC-1",
  "MLN-VPC-2",
  "MLN-VPC-3",
  "MLN-SG-1",
  "MLN-SG-2",
  "MLN-SG-3",
  "MLN-SG-4",
  "MLN-NACL-1",
  "MLN-NACL-2",
  "MLN-RT-1",
  "MLN-RT-2",
  "MLN-RT-3",
  "MLN-VPCE-1",
  "MLN-VPCE-2",
  "MLN-VPCE-3",
  "MLN-VPN-1",
  "MLN-VPN-2",
  "MLN-EC2-1",
  "MLN-EC2-2",
  "MLN-EC2-3",
  "MLN-EC2-4",
  "MLN-SM-1",
  "MLN-SM-2",
  "MLN-SM-3",
  "MLN-SM-4",
  "MLN-SM-5",
  "MLN-LOG-1",
  "MLN-LOG-2",
  "MLN-TAG-1",
  "MLN-TAG-2",
  "MLN-ELB-1",
  "MLN-ELB-2",
  "MLN-ELB-3",
  "MLN-ELB-4",
  "MLN-ELB-5",
  "MLN-ELB-6",
  "MLN-ELB-7",
  "MLN-DNS-1",
  "MLN-DX-1",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** Rules no suppression can silence: SSH and RDP open to the internet. */
export const UNSUPPRESSIBLE_RULES: readonly RuleId[] = ["MLN-SG-2"];
