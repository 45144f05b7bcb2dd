/**
 * InferenceLoadBalancer: the way into the inference group.
 *
 * An Application Load Balancer (HTTPS) or a Network Load Balancer (TLS),
 * internal in the private tier by default, internet-facing in the public tier
 * only by a named opt-in. TLS 1.2+ with a given ACM certificate; an ALB drops
 * invalid header fields and mitigates HTTP desync. A security group of its
 * own admits the callers on the listener ports and reaches only the inference
 * group, on the serving ports, where it is the caller the module admits. One
 * target group of type ip per serving port. Construct ids come from listener
 * names, ports, CIDRs and caller names: adding a listener or a caller adds
 * resources and changes none.
 */
import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { resolveProps } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { suppress } from "../core/suppressions";
import { cidrId, named } from "../core/tags";
import { rangeId, type PortRange } from "../core/ports";
import { assertNetwork, type IMlNetwork, type SubnetTier } from "../network";
import type { GroupRule } from "../network-acls";
import { inferenceLoadBalancerConfigSchema, type ResolvedInferenceLoadBalancerConfig } from "./schema";
import {
  backendPorts,
  callerCidrsOf,
  listenerTargetPort,
  loadBalancerName,
  loadBalancerSubnets,
  loadBalancerTier,
  targetGroupId,
  targetGroupName,
  targetPorts,
  targetProtocol,
  validateInferenceLoadBalancer,
} from "./validate";

export { inferenceLoadBalancerConfigSchema, DEFAULT_LISTENERS, DEFAULT_HEALTH_CHECK_PATH, type ResolvedInferenceLoadBalancerConfig } from "./schema";
export {
  validateInferenceLoadBalancer,
  loadBalancerName,
  loadBalancerTier,
  loadBalancerSubnets,
  targetGroupName,
  targetGroupId,
  targetProtocol,
  targetPorts,
  backendPorts,
  callerCidrsOf,
  matcherProblem,
  IDLE_TIMEOUT_RANGE,
  MATCHER_RANGE,
  type InferenceGroupView,
  type InferenceLoadBalancerContext,
} from "./validate";
export { DEFAULT_SSL_POLICY, TLS12_SSL_POLICIES, acceptsBelowTls12 } from "./ssl-policies";

/** One listener: the port clients connect to, and the serving port it forwards to. */
export interface InferenceListenerConfig {
  /** Port clients connect to, 1-65535. An internet-facing load balancer open to 0.0.0.0/0 listens on 443 only. */
  readonly port: number;
  /** Serving port on the inference targets; each distinct port gets its own target group. @default - servingPort */
  readonly targetPort?: number;
}

/** How the load balancer checks each target (HTTP, or HTTPS with targetTls, for both types). */
export interface InferenceHealthCheckConfig {
  /** Path the load balancer requests; SageMaker-style containers answer GET /ping. @default "/ping" */
  readonly path?: string;
  /** Port the check goes to; it is opened from the load balancer's group like the serving ports. @default - the target's serving port (traffic-port) */
  readonly port?: number;
  /** HTTP codes that mean healthy: "200", "200,202" or "200-299"; 200-499 for an ALB, 200-599 for an NLB. @default "200" */
  readonly matcher?: string;
}

/** Where the load balancer writes its access logs. */
export interface InferenceAccessLogsConfig {
  /** Bucket name (not an ARN), in the load balancer's Region. */
  readonly bucket: string;
  /** Key prefix, without AWSLogs (ELB adds AWSLogs/<account>/ after it). @default - none: logs at the bucket's root */
  readonly prefix?: string;
}

/** Everything an environment configures: no network, no ids of other modules. */
export interface InferenceLoadBalancerConfig {
  /** `application` (HTTPS, layer 7) or `network` (TLS, layer 4). @default "application" */
  readonly type?: "application" | "network";
  /**
   * `internal` (private subnets, reachable from the VPC and connected
   * networks) or `internet-facing` (public subnets); internet-facing needs
   * `internetFacingReason`.
   * @default "internal"
   */
  readonly scheme?: "internal" | "internet-facing";
  /**
   * Why the model is served to the internet: the named opt-in for
   * `scheme: "internet-facing"` (at least 10 characters), recorded with the
   * accepted MLN-SG-1 finding on the 0.0.0.0/0 rule.
   * @default - none; required when internet-facing
   */
  readonly internetFacingReason?: string;
  /** Load balancer name (at most 32 characters); target groups are named `<name>-<port>`. @default - <network name>-inference, or <network name>-inf when target group names would pass 32 characters */
  readonly name?: string;
  /** ACM certificate for the listeners, in the load balancer's Region. */
  readonly certificateArn: string;
  /**
   * ELB security policy of every listener: one of TLS12_SSL_POLICIES (TLS 1.2
   * and later only). The default is AWS's recommendation.
   * @default "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
   */
  readonly sslPolicy?: string;
  /**
   * Why `sslPolicy` is a predefined policy this library does not list yet (a
   * newer AWS policy). Policies that accept TLS 1.0 or 1.1 are refused
   * whatever the reason.
   * @default - none: sslPolicy must be listed
   */
  readonly unlistedSslPolicyReason?: string;
  /** Port the serving containers listen on (SageMaker uses 8080); listeners forward here unless they name a targetPort. @default 8080 */
  readonly servingPort?: number;
  /** Re-encrypt to the targets: HTTPS (ALB) or TLS (NLB) target groups and health checks instead of HTTP or TCP. @default false */
  readonly targetTls?: boolean;
  /** Listeners by name (names become construct ids): adding one adds its listener and rules and changes nothing else. @default { https: { port: 443 } } */
  readonly listeners?: Record<string, InferenceListenerConfig>;
  /**
   * Client ranges (IPv4) admitted on the listener ports.
   * @default - the VPC CIDRs (internal) or 0.0.0.0/0 (internet-facing); none when callerGroups are given
   */
  readonly callerCidrs?: string[];
  /**
   * AZs of the load balancer's subnets, two at least, in its tier. Pin them
   * (as prod does) so that adding an AZ to the network changes nothing here;
   * list the new AZ when serving should reach it.
   * @default - every AZ of the tier
   */
  readonly availabilityZones?: string[];
  /** Refuse deletion of the load balancer (environments such as prod turn it on). @default false */
  readonly deletionProtection?: boolean;
  /**
   * Access logs to an S3 bucket in the load balancer's Region, whose policy
   * lets Elastic Load Balancing write (see docs/modules/inference-ingress.md).
   * @default - none: access logs off
   */
  readonly accessLogs?: InferenceAccessLogsConfig;
  /** Health check of the targets; each field's default is documented on InferenceHealthCheckConfig. @default {} */
  readonly healthCheck?: InferenceHealthCheckConfig;
  /** ALB only: how requests that might be HTTP desync attacks are treated; `monitor` is not offered. @default - "defensive" on an ALB */
  readonly desyncMitigationMode?: "defensive" | "strictest";
  /** ALB only: seconds a connection may stay idle, 1-4000; raise it for long generations. @default - 60, AWS's default (ALB only) */
  readonly idleTimeoutSeconds?: number;
  /** NLB only: balance across zones (an ALB always does). @default - true on an NLB */
  readonly crossZoneLoadBalancing?: boolean;
}

export interface InferenceLoadBalancerProps extends InferenceLoadBalancerConfig {
  readonly network: IMlNetwork;
  /**
   * The inference security group (SegmentedSecurityGroups' `ids.inference`):
   * it gets an ingress rule from the load balancer's group on each serving
   * port, and the load balancer's group may reach nothing else.
   */
  readonly inferenceSecurityGroupId: string;
  /**
   * Security groups whose members may call the load balancer, by name (names
   * become construct ids). Each gets an ingress rule on the load balancer's
   * group and an egress rule of its own to it, on every listener port.
   * @default - none
   */
  readonly callerGroups?: Record<string, string>;
  /** Extra tags on every resource. @default - none */
  readonly tags?: Record<string, string>;
}

/** The load balancer's group, as `flows` names it. */
export const LB_FLOW_GROUP = "inference load balancer";

export class InferenceLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  /** Target groups by serving port. */
  readonly targetGroups: Readonly<Record<number, LbTargetGroup>>;
  /** Listeners by name. */
  readonly listeners: Readonly<Record<string, LbListener>>;
  /** The props with every default filled in. */
  readonly config: ResolvedInferenceLoadBalancerConfig;
  /** The load balancer's DNS name, for clients and DNS records. */
  readonly dnsName: string;
  /**
   * The security-group flows this construct opens, for the NACL consistency
   * proof (`findBlockedFlows`): the load balancer's group is
   * `"inference load balancer"`, the targets' group `"inference"`, callers by
   * their names in `callerGroups`. Where the load balancer runs: `flowPlacement`.
   */
  readonly flows: readonly GroupRule[];
  readonly flowPlacement: Readonly<Record<string, readonly SubnetTier[]>>;

  constructor(scope: Construct, id: string, props: InferenceLoadBalancerProps) {
    super(scope, id);
    const { network, inferenceSecurityGroupId, callerGroups = {}, tags: extraTags, ...rest } = props;
    assertNetwork(network, `InferenceLoadBalancer "${this.node.path}"`);
    const cfg = resolveProps("InferenceLoadBalancer", this.node.path, inferenceLoadBalancerConfigSchema, rest, (c) => [
      ...validateInferenceLoadBalancer(c, network, { callerGroups, inferenceSecurityGroupId }),
      ...tagIssues(extraTags, "tags", ["Name"]),
    ]);
    this.config = cfg;
    const tags = extraTags ?? {};
    const alb = cfg.type === "application";
    const lbName = loadBalancerName(cfg, network.name);
    // `<network>-inference-lb` by default; from the load balancer's name, so two load balancers in one VPC get two names.
    const groupName = `${lbName}-lb`;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: groupName,
      description: `Inference ${alb ? "ALB" : "NLB"}: callers in on the listener ports, out to the inference group on its serving ports only`,
      vpcId: network.vpcId,
      tags: named(groupName, tags),
      revokeRulesOnDelete: true,
    });
    this.flows = this.createRules(cfg, network, inferenceSecurityGroupId, callerGroups, groupName, tags);
    this.flowPlacement = { [LB_FLOW_GROUP]: [loadBalancerTier(cfg)] };

    const subnets = loadBalancerSubnets(cfg, network);
    this.loadBalancer = new Lb(this, "load-balancer", {
      name: lbName,
      loadBalancerType: cfg.type,
      internal: cfg.scheme === "internal",
      subnets: subnets.subnetIds,
      // Created with its security group: a Network Load Balancer created without one can never get one
      // ("SetSecurityGroups", ELB API Reference, docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSecurityGroups.html).
      securityGroups: [this.securityGroup.id],
      enableDeletionProtection: cfg.deletionProtection,
      // LoadBalancerAttribute (ELB API Reference): routing.http.drop_invalid_header_fields.enabled defaults to false,
      // routing.http.desync_mitigation_mode to defensive; load_balancing.cross_zone.enabled is off by default on an NLB.
      ...(alb
        ? { dropInvalidHeaderFields: true, desyncMitigationMode: cfg.desyncMitigationMode ?? "defensive", idleTimeout: cfg.idleTimeoutSeconds }
        : { enableCrossZoneLoadBalancing: cfg.crossZoneLoadBalancing ?? true }),
      accessLogs: cfg.accessLogs ? { bucket: cfg.accessLogs.bucket, prefix: cfg.accessLogs.prefix, enabled: true } : undefined,
      tags: named(lbName, tags),
    });
    this.dnsName = this.loadBalancer.dnsName;

    const targetGroups: Record<number, LbTargetGroup> = {};
    for (const port of targetPorts(cfg)) targetGroups[port] = this.createTargetGroup(cfg, network, lbName, port, tags);
    this.targetGroups = targetGroups;

    const listeners: Record<string, LbListener> = {};
    for (const [name, listener] of Object.entries(cfg.listeners)) {
      listeners[name] = new LbListener(this, `listener-${name}`, {
        loadBalancerArn: this.loadBalancer.arn,
        port: listener.port,
        protocol: alb ? "HTTPS" : "TLS",
        certificateArn: cfg.certificateArn,
        sslPolicy: cfg.sslPolicy,
        defaultAction: [{ type: "forward", targetGroupArn: targetGroups[listenerTargetPort(cfg, listener)].arn }],
        tags: named(`${lbName}-${name}`, tags),
      });
    }
    this.listeners = listeners;
  }

  /** One target group of type ip on a serving port, with the health check. */
  private createTargetGroup(
    cfg: ResolvedInferenceLoadBalancerConfig,
    network: IMlNetwork,
    lbName: string,
    port: number,
    tags: Record<string, string>,
  ): LbTargetGroup {
    const protocol = targetProtocol(cfg);
    const name = targetGroupName(lbName, port, protocol);
    const hc = cfg.healthCheck;
    return new LbTargetGroup(this, targetGroupId(port, protocol), {
      name,
      port,
      protocol,
      targetType: "ip",
      vpcId: network.vpcId,
      healthCheck: {
        enabled: true,
        protocol: cfg.targetTls ? "HTTPS" : "HTTP",
        path: hc.path,
        port: hc.port === undefined ? "traffic-port" : String(hc.port),
        matcher: hc.matcher,
      },
      tags: named(name, tags),
    });
  }

  /**
   * The load balancer group's rules (callers in on the listener ports; out to
   * the inference group on the serving and health check ports) and the
   * inference group's ingress from it. Ids come from ports, CIDRs and names.
   */
  private createRules(
    cfg: ResolvedInferenceLoadBalancerConfig,
    network: IMlNetwork,
    inferenceSecurityGroupId: string,
    callerGroups: Readonly<Record<string, string>>,
    groupName: string,
    tags: Record<string, string>,
  ): GroupRule[] {
    const lbGroupId = this.securityGroup.id;
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });
    const flows: GroupRule[] = [];
    // Flow ids read `<group>-<direction>-<range>-<peer>`, as the segmented groups' do, in the proof's messages.
    const flow = (group: string, direction: "ingress" | "egress", port: number, peer: GroupRule["peer"], peerText: string) => {
      const range: PortRange = { protocol: "tcp", from: port, to: port };
      const id = `${group}-${direction}-${rangeId(range)}-${peerText}`;
      flows.push({ id, group, direction, range, peer, description: id });
    };
    const ruleTags = (ruleId: string) => named(`${groupName}-${ruleId}`, tags);
    const cidrs = callerCidrsOf(cfg, network.vpcCidrs, Object.keys(callerGroups).length > 0);
    for (const [name, listener] of Object.entries(cfg.listeners)) {
      const port = listener.port;
      for (const cidr of cidrs) {
        const ruleId = `ingress-tcp-${port}-from-${cidrId(cidr)}`;
        const rule = new VpcSecurityGroupIngressRule(this, ruleId, {
          securityGroupId: lbGroupId,
          description: `tcp ${port} from ${cidr}: callers of the inference load balancer (listener ${name})`,
          ...tcp(port),
          cidrIpv4: cidr,
          tags: ruleTags(ruleId),
        });
        flow(LB_FLOW_GROUP, "ingress", port, { kind: "cidr", cidr }, cidr);
        if (cidr.endsWith("/0"))
          suppress(rule, "MLN-SG-1", `internet-facing inference load balancer, TLS on 443 only (named opt-in): ${cfg.internetFacingReason?.trim() ?? ""}`);
      }
      for (const [caller, callerId] of Object.entries(callerGroups)) {
        const ruleId = `ingress-tcp-${port}-from-${caller}`;
        new VpcSecurityGroupIngressRule(this, ruleId, {
          securityGroupId: lbGroupId,
          description: `tcp ${port} from the ${caller} group: callers of the inference load balancer (listener ${name})`,
          ...tcp(port),
          referencedSecurityGroupId: callerId,
          tags: ruleTags(ruleId),
        });
        // The caller's side: segmented groups allow no egress they were not given.
        const egressId = `${caller}-egress-tcp-${port}-to-lb`;
        new VpcSecurityGroupEgressRule(this, egressId, {
          securityGroupId: callerId,
          description: `tcp ${port} to the inference load balancer group: model invocations (listener ${name})`,
          ...tcp(port),
          referencedSecurityGroupId: lbGroupId,
          tags: ruleTags(egressId),
        });
        flow(caller, "egress", port, { kind: "group", name: LB_FLOW_GROUP }, "to-lb");
      }
    }
    for (const port of backendPorts(cfg)) {
      const egressId = `egress-tcp-${port}-to-inference`;
      new VpcSecurityGroupEgressRule(this, egressId, {
        securityGroupId: lbGroupId,
        description: `tcp ${port} to the inference group: requests and health checks of the load balancer`,
        ...tcp(port),
        referencedSecurityGroupId: inferenceSecurityGroupId,
        tags: ruleTags(egressId),
      });
      flow(LB_FLOW_GROUP, "egress", port, { kind: "group", name: "inference" }, "to-inference");
      const ingressId = `inference-ingress-tcp-${port}-from-lb`;
      new VpcSecurityGroupIngressRule(this, ingressId, {
        securityGroupId: inferenceSecurityGroupId,
        description: `tcp ${port} from the inference load balancer group: its only caller on this port`,
        ...tcp(port),
        referencedSecurityGroupId: lbGroupId,
        tags: ruleTags(ingressId),
      });
    }
    return flows;
  }
}
