/**
 * PartnerEndpoints: interface endpoints to partners' PrivateLink endpoint
 * services (`com.amazonaws.vpce.<region>.vpce-svc-...`), each behind a
 * security group of its own.
 *
 * Per partner, keyed by its name: a security group `<network>-partner-<name>`
 * that admits the named caller groups on the configured TCP ports and nothing
 * else; the matching egress rule on each caller group, so the flow exists on
 * both sides; the interface endpoint, with private DNS only when asked for and
 * no endpoint policy; one subnet attachment per AZ. Every construct id comes
 * from a name (partner, caller, port range, AZ), so adding any of them only
 * adds resources.
 */
import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointSubnetAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-subnet-association";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { resolveProps } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import type { PortSpec } from "../core/ports";
import { rangeId } from "../core/ports";
import { named } from "../core/tags";
import { assertNetwork, selectSubnets, type IMlNetwork, type SubnetTier } from "../network";
import type { GroupRule } from "../network-acls";
import { partnerEndpointsConfigSchema, type ResolvedPartnerEndpointsConfig } from "./schema";
import {
  partnerGroupDescription,
  partnerGroupName,
  partnerRanges,
  partnerRuleDescription,
  partnerViewOf,
  securityGroupIdsIssues,
  validatePartnerEndpoints,
} from "./validate";

export { partnerEndpointsConfigSchema, partnerEndpointSchema, type ResolvedPartnerEndpointsConfig, type ResolvedPartnerEndpoint } from "./schema";
export {
  validatePartnerEndpoints,
  partnerViewOf,
  endpointServiceProblem,
  securityGroupIdsIssues,
  partnerGroupName,
  PARTNER_NAME,
  CALLER_NAME,
  type PartnerNetworkView,
} from "./validate";

/** One partner's endpoint service and who may call it. */
export interface PartnerEndpointConfig<Caller extends string = string> {
  /**
   * The endpoint service's full name, as the partner gives it:
   * `com.amazonaws.vpce.<region>.vpce-svc-<17 hexadecimal digits>`, in the
   * network's Region.
   */
  readonly serviceName: string;
  /** What the partner's service is for; it lands in the security group's description. */
  readonly purpose: string;
  /** TCP ports the service listens on (interface endpoints carry TCP only): `443` or `{ from: 9092, to: 9094 }`. */
  readonly ports: PortSpec[];
  /** The security groups that may call the service, by their names in `securityGroupIds`. */
  readonly callers: Caller[];
  /**
   * Private DNS on the endpoint, so the partner's own host name resolves to it
   * inside the VPC. Turn it on only when the partner configured a private DNS
   * name and AWS verified it: otherwise AWS refuses to create the endpoint.
   * @default false
   */
  readonly privateDns?: boolean;
  /** Tier holding the endpoint network interfaces. @default "private" */
  readonly tier?: SubnetTier;
  /** AZs to place them in (one network interface per AZ). The partner must offer the service there. @default - every AZ of the tier */
  readonly availabilityZones?: string[];
}

/**
 * Everything but the network and the group ids: what an environment
 * configures. `Caller` is the union of the names callers may use (the keys of
 * `securityGroupIds`); write `PartnerEndpointsConfig<string>` for plain data
 * checked at synth.
 */
export interface PartnerEndpointsConfig<Caller extends string = string> {
  /** Partners by name; the name makes the security group `<network>-partner-<name>` and every construct id. */
  readonly partners: Record<string, PartnerEndpointConfig<Caller>>;
}

export interface PartnerEndpointsProps<Caller extends string = string> extends PartnerEndpointsConfig<NoInfer<Caller>> {
  readonly network: IMlNetwork;
  /**
   * The security groups callers may name, by name: SegmentedSecurityGroups'
   * `ids`, or your own `{ app: "sg-..." }`. Each caller gets an egress rule to
   * the partner's group here. A name whose id is absent (`efa` without an EFA
   * group) is rejected at synth.
   */
  readonly securityGroupIds: Readonly<Partial<Record<Caller, string>>>;
  /** Extra tags on every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/** A partner's security group, as `flows` names it. */
export function partnerFlowGroup(partner: string): string {
  return `partner ${partner}`;
}

export class PartnerEndpoints<Caller extends string = string> extends Construct {
  /** The security group of each partner. */
  readonly securityGroups: Readonly<Record<string, SecurityGroup>>;
  /** The security group id of each partner, for rules elsewhere. */
  readonly securityGroupIds: Readonly<Record<string, string>>;
  /** The interface endpoint of each partner (its `dnsEntry` holds the endpoint-specific DNS names). */
  readonly endpoints: Readonly<Record<string, VpcEndpoint>>;
  readonly config: ResolvedPartnerEndpointsConfig;
  /**
   * The security-group flows this construct opens (callers out to each
   * partner's group), for the NACL consistency proof (`findBlockedFlows`):
   * callers by their names, each partner's group as `partnerFlowGroup(name)`,
   * placed in its tier per `flowPlacement`.
   */
  readonly flows: readonly GroupRule[];
  readonly flowPlacement: Readonly<Record<string, readonly SubnetTier[]>>;

  constructor(scope: Construct, id: string, props: PartnerEndpointsProps<Caller>) {
    super(scope, id);
    const { network, securityGroupIds, tags: extraTags, ...rest } = props;
    assertNetwork(network, `PartnerEndpoints "${this.node.path}"`);
    const view = partnerViewOf(network);
    // Names with an id: an optional group that does not exist (efa: undefined) is no caller.
    const callerIds: Readonly<Record<string, string>> = Object.fromEntries(
      Object.entries<string | undefined>(securityGroupIds ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const cfg = resolveProps("PartnerEndpoints", this.node.path, partnerEndpointsConfigSchema, rest, (c) => [
      ...validatePartnerEndpoints(c, view, Object.keys(callerIds)),
      ...securityGroupIdsIssues(securityGroupIds),
      ...tagIssues(extraTags, "tags", ["Name"]),
    ]);
    this.config = cfg;
    const tags = extraTags ?? {};

    const groups: Record<string, SecurityGroup> = {};
    const groupIds: Record<string, string> = {};
    const endpoints: Record<string, VpcEndpoint> = {};
    const flows: GroupRule[] = [];
    const flowPlacement: Record<string, SubnetTier[]> = {};
    for (const [name, partner] of Object.entries(cfg.partners)) {
      flowPlacement[partnerFlowGroup(name)] = [partner.tier];
      // One scope per partner: ids below it need only the caller, range and AZ to be unique.
      const scope = new Construct(this, name);
      const groupName = partnerGroupName(network.name, name);
      // No egress rules: "Services cannot initiate requests to resources in your VPC through the endpoint. An endpoint
      // only returns responses to traffic that is initiated from resources in your VPC" (Interface VPC endpoints
      // (AWS PrivateLink), Amazon VPC user guide, docs.aws.amazon.com/vpc/latest/userguide/vpce-interface.html), and
      // security groups are stateful: "responses to inbound traffic are allowed to flow out of the instance regardless
      // of outbound security group rules" ("Amazon EC2 security group connection tracking",
      // docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html). The provider removes the
      // allow-all egress rule AWS adds to a new group (aws_security_group resource docs, "NOTE on Egress rules").
      const group = new SecurityGroup(scope, "security-group", {
        name: groupName,
        description: partnerGroupDescription(name),
        vpcId: network.vpcId,
        tags: named(groupName, tags, { Purpose: partner.purpose }),
        revokeRulesOnDelete: true,
      });
      groups[name] = group;
      groupIds[name] = group.id;

      for (const caller of partner.callers) {
        for (const range of partnerRanges(partner)) {
          const key = `${caller}-${rangeId(range)}`;
          const rule = {
            description: partnerRuleDescription(name, caller, range),
            ipProtocol: "tcp",
            fromPort: range.from,
            toPort: range.to,
          };
          new VpcSecurityGroupIngressRule(scope, `ingress-${key}`, {
            ...rule,
            securityGroupId: group.id,
            referencedSecurityGroupId: callerIds[caller],
            tags: named(`${groupName}-from-${key}`, tags),
          });
          new VpcSecurityGroupEgressRule(scope, `egress-${key}`, {
            ...rule,
            securityGroupId: callerIds[caller],
            referencedSecurityGroupId: group.id,
            tags: named(`${network.name}-${caller}-to-partner-${name}-${rangeId(range)}`, tags),
          });
          // Read `<group>-<direction>-<range>-<peer>`, as the segmented groups' rules are, in the proof's messages.
          const flowId = `${caller}-egress-${rangeId(range)}-${partnerFlowGroup(name)}`;
          flows.push({ id: flowId, group: caller, direction: "egress", range, peer: { kind: "group", name: partnerFlowGroup(name) }, description: flowId });
        }
      }

      // No policy: "When you create a VPC endpoint for an endpoint service other than an AWS service, we allow full
      // access to the endpoint" ("Control access to VPC endpoints using endpoint policies", AWS PrivateLink guide,
      // docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html); the provider controls access.
      // Private DNS only on request: "Consumers of the endpoint service can use the private name only when the state is
      // verified" (PrivateDnsNameConfiguration, EC2 API reference,
      // docs.aws.amazon.com/AWSEC2/latest/APIReference/API_PrivateDnsNameConfiguration.html); for a service without
      // one, CreateVpcEndpoint fails with InvalidParameter ("Private DNS can't be enabled because the service ... does
      // not provide a private DNS name": the API's error text as reported in vespa-engine/vespa pull request 33303;
      // the AWS docs describe the verification, not the error).
      const endpoint = new VpcEndpoint(scope, "endpoint", {
        vpcId: network.vpcId,
        serviceName: partner.serviceName,
        vpcEndpointType: "Interface",
        privateDnsEnabled: partner.privateDns,
        securityGroupIds: [group.id],
        tags: named(groupName, tags, { Purpose: partner.purpose }),
      });
      endpoints[name] = endpoint;
      // "For each interface endpoint, you can choose only one subnet per Availability Zone" (vpce-interface.html, as
      // above). Attachments are resources of their own, keyed by AZ: adding an AZ changes no existing resource.
      const { subnets } = selectSubnets(network, { tiers: [partner.tier], availabilityZones: partner.availabilityZones, onePerAz: true });
      for (const subnet of subnets) {
        new VpcEndpointSubnetAssociation(scope, `subnet-${subnet.availabilityZone}`, { vpcEndpointId: endpoint.id, subnetId: subnet.id });
      }
    }
    this.securityGroups = groups;
    this.securityGroupIds = groupIds;
    this.endpoints = endpoints;
    this.flows = flows;
    this.flowPlacement = flowPlacement;
  }
}
