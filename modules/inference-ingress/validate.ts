/**
 * Checks for an inference load balancer that need nothing built: scheme and
 * its named opt-in, names, certificate, security policy, ports, callers,
 * subnets, access logs, health check, options of the other load balancer
 * type, and (when the environment knows it) the inference group's own
 * callers. The construct and the environment loader share these helpers,
 * so they place and name things the same way.
 */
import { Token } from "cdktf";
import type { ConfigIssue } from "../core/errors";
import { bucketNameProblem, nameIssues } from "../core/aws-limits";
import { checkCidr, prefixOf } from "../core/cidr";
import { covers, toRange, type PortSpec } from "../core/ports";
import { selectSubnets, type IMlNetwork, type SubnetTier } from "../network";
import type { ResolvedInferenceLoadBalancerConfig } from "./schema";
import { TLS12_SSL_POLICIES, acceptsBelowTls12 } from "./ssl-policies";

type Cfg = ResolvedInferenceLoadBalancerConfig;

/** What the inference group admits, as SegmentedSecurityGroups is configured (the environment knows it; the construct does not). */
export interface InferenceGroupView {
  readonly servingPorts: readonly PortSpec[];
  readonly callerGroups: readonly string[];
  readonly callerCidrs: readonly string[];
}

/** What the checks need beyond the resolved config: the props that are not configuration. */
export interface InferenceLoadBalancerContext {
  /** Caller security groups by name (props.callerGroups). */
  readonly callerGroups?: Readonly<Record<string, string>>;
  readonly inferenceSecurityGroupId?: string;
  readonly inferenceGroup?: InferenceGroupView;
}

const known = (v: unknown): v is string => typeof v === "string" && !Token.isUnresolved(v);

// Security group ids: sg- and 8 (before 2016) or 17 hex characters ("Resource IDs", Amazon EC2 user guide,
// docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html).
const SECURITY_GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

// ACM certificate ARNs: arn:aws:acm:region:account:certificate/<uuid> (ACM API Reference, DescribeCertificate,
// CertificateArn, docs.aws.amazon.com/acm/latest/APIReference/API_DescribeCertificate.html). Certificates are
// regional: a load balancer uses one from its own Region ("Supported Regions", ACM user guide,
// docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
const ACM_CERTIFICATE_ARN =
  /^arn:aws(?:-cn|-us-gov)?:acm:([a-z]{2}(?:-gov)?-[a-z]+-\d):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CERTIFICATE_EXAMPLE = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012";

/**
 * Application Load Balancer attributes (ELB API Reference, LoadBalancerAttribute,
 * docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html):
 * idle_timeout.timeout_seconds takes 1-4000 (default 60).
 */
export const IDLE_TIMEOUT_RANGE = { min: 1, max: 4000 } as const;

/**
 * Health check success codes (ELB API Reference, Matcher, HttpCode,
 * docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html):
 * 200-499 for Application Load Balancers, 200-599 for Network Load Balancers;
 * one code, a list ("200,202") or a range ("200-299").
 */
export const MATCHER_RANGE = { application: [200, 499], network: [200, 599] } as const;

/** The tier the load balancer lives in: private when internal, public when internet-facing. */
export function loadBalancerTier(cfg: Pick<Cfg, "scheme">): SubnetTier {
  return cfg.scheme === "internet-facing" ? "public" : "private";
}

/**
 * The load balancer's subnets: one per AZ of its tier (in `availabilityZones`
 * when given), in AZ name order, so reordering the network's AZ list changes
 * nothing.
 */
export function loadBalancerSubnets(cfg: Pick<Cfg, "scheme" | "availabilityZones">, network: IMlNetwork): { subnetIds: string[]; availabilityZones: string[] } {
  const selected = selectSubnets(network, { tiers: [loadBalancerTier(cfg)], availabilityZones: cfg.availabilityZones, onePerAz: true });
  const sorted = [...selected.subnets].sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone));
  return { subnetIds: sorted.map((s) => s.id), availabilityZones: sorted.map((s) => s.availabilityZone) };
}

/** The protocol to the targets: HTTP or HTTPS (ALB), TCP or TLS (NLB). */
export function targetProtocol(cfg: { readonly type?: Cfg["type"]; readonly targetTls?: boolean }): "HTTP" | "HTTPS" | "TCP" | "TLS" {
  const alb = (cfg.type ?? "application") === "application";
  return alb ? (cfg.targetTls ? "HTTPS" : "HTTP") : cfg.targetTls ? "TLS" : "TCP";
}

/**
 * What target group names and ids add after the port for a protocol other
 * than HTTP. The protocol of a target group cannot change in place: with it
 * in the name and id, a new group is created, the listener moves to it, and
 * only then is the old one deleted (AWS refuses two groups of one name, and a
 * group a listener still uses cannot be deleted).
 */
function protocolSuffix(protocol: ReturnType<typeof targetProtocol>): string {
  return protocol === "HTTP" ? "" : `-${protocol.toLowerCase()}`;
}

/** Target group names: the load balancer's name plus `-<port>` and the protocol suffix, at most 32 characters. */
const TARGET_GROUP_NAME_MAX = 32;

/**
 * The load balancer's name: given, or `<network>-inference`, shortened to
 * `<network>-inf` when the target group names (`<name>-<port>[-<protocol>]`)
 * would pass 32 characters (NAME_RULES.targetGroup).
 */
export function loadBalancerName(cfg: { readonly name?: string; readonly type?: Cfg["type"]; readonly targetTls?: boolean }, networkName: string): string {
  if (cfg.name !== undefined) return cfg.name;
  const full = `${networkName}-inference`;
  return full.length + `-65535${protocolSuffix(targetProtocol(cfg))}`.length <= TARGET_GROUP_NAME_MAX ? full : `${networkName}-inf`;
}

/** Name of the target group of one serving port: `<load balancer name>-<port>`, plus `-<protocol>` unless HTTP. */
export function targetGroupName(lbName: string, port: number, protocol: ReturnType<typeof targetProtocol> = "HTTP"): string {
  return `${lbName}-${port}${protocolSuffix(protocol)}`;
}

/** Construct id of the target group of one serving port (the protocol in it, as in the name). */
export function targetGroupId(port: number, protocol: ReturnType<typeof targetProtocol>): string {
  return `target-group-${port}${protocolSuffix(protocol)}`;
}

/** The serving port a listener forwards to. */
export function listenerTargetPort(cfg: Pick<Cfg, "servingPort">, listener: { readonly targetPort?: number }): number {
  return listener.targetPort ?? cfg.servingPort;
}

/** Distinct serving ports the listeners forward to: one target group each. */
export function targetPorts(cfg: Pick<Cfg, "servingPort" | "listeners">): number[] {
  return [...new Set(Object.values(cfg.listeners).map((l) => listenerTargetPort(cfg, l)))];
}

/** Ports on the inference group the load balancer's group reaches: the target ports and the health check port. */
export function backendPorts(cfg: Pick<Cfg, "servingPort" | "listeners" | "healthCheck">): number[] {
  const ports = targetPorts(cfg);
  const hc = cfg.healthCheck.port;
  return hc === undefined || ports.includes(hc) ? ports : [...ports, hc];
}

/**
 * Client ranges admitted on the listener ports: as given; else none when
 * caller groups are given; else the VPC CIDRs (internal) or 0.0.0.0/0
 * (internet-facing).
 */
export function callerCidrsOf(cfg: Pick<Cfg, "callerCidrs" | "scheme">, vpcCidrs: readonly string[], hasCallerGroups: boolean): string[] {
  if (cfg.callerCidrs !== undefined) return [...cfg.callerCidrs];
  if (hasCallerGroups) return [];
  return cfg.scheme === "internet-facing" ? ["0.0.0.0/0"] : [...vpcCidrs];
}

/** Why a value is not a port a listener or target group takes (1-65535), or undefined. */
function portProblem(port: unknown): string | undefined {
  // ELB API Reference, CreateListener and CreateTargetGroup, Port: 1-65535.
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) return "is not a port (an integer from 1 to 65535)";
  return undefined;
}

/** Why a health check matcher does not fit the load balancer type, or undefined. */
export function matcherProblem(matcher: string, type: Cfg["type"]): string | undefined {
  const [lo, hi] = MATCHER_RANGE[type];
  const parts = matcher.split(",");
  for (const part of parts) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part.trim());
    if (!m) return 'is not an HTTP code, a list ("200,202") or a range ("200-299")';
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a > b) return `has a range that starts after it ends (${part.trim()})`;
    if (a < lo || b > hi) return `has codes outside ${lo}-${hi}, which ${type === "application" ? "an Application" : "a Network"} Load Balancer accepts`;
  }
  return undefined;
}

/** Every problem of a resolved config placed in a network, with paths as the props are written. */
export function validateInferenceLoadBalancer(cfg: Cfg, network: IMlNetwork, context: InferenceLoadBalancerContext = {}): ConfigIssue[] {
  return [
    ...schemeIssues(cfg, network),
    ...nameChecks(cfg, network.name),
    ...certificateIssues(cfg, network.region),
    ...sslPolicyIssues(cfg),
    ...portIssues(cfg),
    ...callerIssues(cfg, network.vpcCidrs, context),
    ...accessLogIssues(cfg),
    ...healthCheckIssues(cfg),
    ...typeOptionIssues(cfg),
    ...inferenceGroupIssues(cfg, context),
  ];
}

function issue(path: string, value: unknown, message: string, fix: string): ConfigIssue {
  return { path, value, message, fix };
}

function schemeIssues(cfg: Cfg, network: IMlNetwork): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const reason = cfg.internetFacingReason;
  if (cfg.scheme === "internet-facing" && (reason === undefined || reason.trim().length < 10))
    issues.push(
      issue(
        "internetFacingReason",
        reason,
        "is required (at least 10 characters) for an internet-facing load balancer: it is the named opt-in, recorded with the accepted 0.0.0.0/0 rule",
        'say why the model is served to the internet, e.g. "public demo API for partners, rate-limited upstream", or use scheme: "internal"',
      ),
    );
  if (cfg.scheme === "internal" && reason !== undefined)
    issues.push(issue("internetFacingReason", reason, "is set while scheme is internal", 'remove it, or set scheme: "internet-facing"'));
  // Subnets: one per AZ of the tier. "CreateLoadBalancer, Subnets" (ELB API Reference,
  // docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html): one subnet per
  // Availability Zone; Application Load Balancers need subnets in at least two Availability Zones. Network Load
  // Balancers take one or more; two are required here too, as Security Hub ELB.13 and the pack's MLN-ELB-7 ask, so
  // the inference endpoint survives the loss of a zone.
  const tier = loadBalancerTier(cfg);
  const tierAzs = selectSubnets(network, { tiers: [tier] }).availabilityZones;
  cfg.availabilityZones?.forEach((az, i) => {
    if (!tierAzs.includes(az))
      issues.push(
        issue(`availabilityZones[${i}]`, az, `has no ${tier} subnet in this network`, `use AZs of the ${tier} tier: ${tierAzs.join(", ") || "none"}`),
      );
  });
  const azs = loadBalancerSubnets(cfg, network).availabilityZones;
  if (azs.length < 2) {
    const where =
      cfg.scheme === "internal" ? "an internal load balancer lives in the private tier" : "an internet-facing load balancer lives in the public tier";
    const why = cfg.type === "application" ? "an Application Load Balancer spans two zones or more" : "the endpoint must survive the loss of a zone";
    issues.push(
      issue(
        cfg.availabilityZones ? "availabilityZones" : "scheme",
        cfg.availabilityZones ?? cfg.scheme,
        `needs ${tier} subnets in at least 2 availability zones (${where}; ${why}); ${cfg.availabilityZones ? "it names" : "the network has"} ${azs.length === 0 ? "none" : azs.join(", ")}`,
        cfg.availabilityZones
          ? `list two AZs or more of the ${tier} tier (${tierAzs.join(", ")})`
          : `give the network's ${tier} tier ${azs.length === 0 ? "subnets in two availability zones" : "a second availability zone"}`,
      ),
    );
  }
  return issues;
}

function nameChecks(cfg: Cfg, networkName: string): ConfigIssue[] {
  const lbName = loadBalancerName(cfg, networkName);
  const suffix = protocolSuffix(targetProtocol(cfg));
  const room = TARGET_GROUP_NAME_MAX - `-65535${suffix}`.length;
  const fix = `set name to one of at most ${room} characters (target groups add -<port>${suffix}), e.g. "${networkName.slice(0, room - 4).replace(/-+$/, "")}-inf"`;
  const lbIssues = nameIssues([{ name: lbName, rule: "loadBalancer", path: "name", value: lbName, fix }]);
  // Target group names repeat the load balancer's name: judged only once that passes, so one mistake is reported once.
  if (lbIssues.length > 0) return lbIssues;
  return nameIssues(
    targetPorts(cfg).map((port) => ({
      name: targetGroupName(lbName, port, targetProtocol(cfg)),
      rule: "targetGroup" as const,
      path: "name",
      value: lbName,
      fix,
    })),
  );
}

function certificateIssues(cfg: Cfg, region: string | undefined): ConfigIssue[] {
  const arn = cfg.certificateArn;
  if (!known(arn)) return [];
  const m = ACM_CERTIFICATE_ARN.exec(arn);
  if (!m) {
    const iam = /^arn:aws[\w-]*:iam::\d{12}:server-certificate\//.test(arn);
    return [
      issue(
        "certificateArn",
        arn,
        iam
          ? "is an IAM server certificate; this module takes ACM certificates only (renewed by ACM, checked by the elbv2-acm-certificate-required Config rule)"
          : "is not an ACM certificate ARN",
        `import or request the certificate in ACM and give its ARN, e.g. ${CERTIFICATE_EXAMPLE}`,
      ),
    ];
  }
  if (known(region) && m[1] !== region)
    return [
      issue(
        "certificateArn",
        arn,
        `is a certificate in ${m[1]}, but the load balancer is in ${region}; ACM certificates are regional`,
        `request or import the certificate in ${region} and use that ARN`,
      ),
    ];
  return [];
}

function sslPolicyIssues(cfg: Cfg): ConfigIssue[] {
  const policy = cfg.sslPolicy;
  const reason = cfg.unlistedSslPolicyReason;
  const listed = TLS12_SSL_POLICIES.includes(policy);
  const fix = `use ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09 (the default) or another policy of TLS12_SSL_POLICIES`;
  if (acceptsBelowTls12(policy)) return [issue("sslPolicy", policy, "accepts TLS 1.0 or 1.1; inference endpoints take TLS 1.2 or later only", fix)];
  if (listed) {
    return reason === undefined
      ? []
      : [
          issue(
            "unlistedSslPolicyReason",
            reason,
            "is set while sslPolicy is a listed TLS 1.2+ policy",
            "remove it; it is only for policies newer than this library",
          ),
        ];
  }
  if (!/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(policy))
    return [issue("sslPolicy", policy, "is not a predefined ELB security policy (load balancers take no custom policies)", fix)];
  if (reason === undefined || reason.trim().length < 10)
    return [
      issue(
        "sslPolicy",
        policy,
        "is not a TLS 1.2+ policy this library knows",
        `${fix}; for a newer AWS policy that accepts TLS 1.2 or later only, also set unlistedSslPolicyReason (at least 10 characters)`,
      ),
    ];
  return [];
}

function portIssues(cfg: Cfg): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const port = (path: string, value: unknown) => {
    const problem = portProblem(value);
    if (problem) issues.push(issue(path, value, problem, "use a port between 1 and 65535"));
  };
  port("servingPort", cfg.servingPort);
  const names = Object.keys(cfg.listeners);
  if (names.length === 0) issues.push(issue("listeners", {}, "has no listener", "add one, e.g. { https: { port: 443 } }, or omit listeners for that default"));
  const seen = new Map<number, string>();
  for (const [name, listener] of Object.entries(cfg.listeners)) {
    const base = `listeners.${name}`;
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) issues.push(issue(base, name, "is not a short lower-case name", 'use a name such as "https" or "grpc"'));
    port(`${base}.port`, listener.port);
    if (listener.targetPort !== undefined) port(`${base}.targetPort`, listener.targetPort);
    const other = seen.get(listener.port);
    if (other !== undefined)
      issues.push(issue(`${base}.port`, listener.port, `is already the port of listener "${other}"`, "give every listener its own port"));
    seen.set(listener.port, name);
  }
  if (cfg.healthCheck.port !== undefined) port("healthCheck.port", cfg.healthCheck.port);
  return issues;
}

function callerIssues(cfg: Cfg, vpcCidrs: readonly string[], context: InferenceLoadBalancerContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const groups = context.callerGroups ?? {};
  for (const [name, id] of Object.entries(groups)) {
    if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(name))
      issues.push(
        issue(`callerGroups.${name}`, name, "is not a name of letters, digits and hyphens", 'name the group, e.g. { notebook: "sg-0123456789abcdef0" }'),
      );
    if (known(id) && !SECURITY_GROUP_ID.test(id))
      issues.push(issue(`callerGroups.${name}`, id, "is not a security group id", "use the group's id, e.g. sg-0123456789abcdef0"));
  }
  const cidrs = callerCidrsOf(cfg, vpcCidrs, Object.keys(groups).length > 0);
  if (cidrs.length === 0 && Object.keys(groups).length === 0)
    issues.push(
      issue(
        "callerCidrs",
        [],
        "is empty and no callerGroups are given: nothing could reach the load balancer",
        "list the client ranges or caller groups, or omit callerCidrs for the default",
      ),
    );
  const path = (i: number) => (cfg.callerCidrs !== undefined ? `callerCidrs[${i}]` : "callerCidrs");
  cidrs.forEach((cidr, i) => {
    if (cidr.includes(":")) {
      issues.push(issue(path(i), cidr, "is an IPv6 range; the load balancer has IPv4 addresses only", "give IPv4 client ranges"));
      return;
    }
    const c = checkCidr(cidr);
    if (!c.ok) {
      issues.push(issue(path(i), cidr, c.reason, 'use a network in CIDR notation, e.g. "10.0.0.0/16"'));
      return;
    }
    if (prefixOf(cidr) !== 0) return;
    if (cfg.scheme === "internal") {
      issues.push(
        issue(
          path(i),
          cidr,
          "admits every address to an internal load balancer",
          "name the client ranges (the VPC and on-premises CIDRs), or omit callerCidrs for the VPC CIDRs",
        ),
      );
      return;
    }
    // Internet-facing: the whole internet only on 443.
    for (const [name, listener] of Object.entries(cfg.listeners)) {
      if (listener.port !== 443)
        issues.push(
          issue(
            `listeners.${name}.port`,
            listener.port,
            `opens port ${listener.port} to the whole internet (${cidr}); an internet-facing load balancer takes callers from anywhere on 443 only`,
            "use port 443, or name the client ranges in callerCidrs",
          ),
        );
    }
  });
  return issues;
}

function accessLogIssues(cfg: Cfg): ConfigIssue[] {
  const logs = cfg.accessLogs;
  if (!logs) return [];
  const issues: ConfigIssue[] = [];
  if (known(logs.bucket)) {
    if (logs.bucket.startsWith("arn:"))
      issues.push(issue("accessLogs.bucket", logs.bucket, "is an ARN; the load balancer takes the bucket's name", "give the bucket name only"));
    else {
      const problem = bucketNameProblem(logs.bucket);
      if (problem) issues.push(issue("accessLogs.bucket", logs.bucket, problem, "use the name of an existing S3 bucket in the load balancer's Region"));
    }
  }
  // "Enable access logs for your Application Load Balancer" (docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html)
  // and the Network Load Balancer page (.../network/enable-access-logs.html): the prefix must not include AWSLogs.
  if (logs.prefix !== undefined && known(logs.prefix)) {
    if (logs.prefix.includes("AWSLogs"))
      issues.push(issue("accessLogs.prefix", logs.prefix, "includes AWSLogs, which ELB adds itself after the prefix", 'use a prefix such as "inference"'));
  }
  return issues;
}

function healthCheckIssues(cfg: Cfg): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { path, matcher } = cfg.healthCheck;
  if (!path.startsWith("/") || /\s/.test(path))
    issues.push(issue("healthCheck.path", path, "is not an absolute path without spaces", 'start it with "/", e.g. "/ping"'));
  const problem = matcherProblem(matcher, cfg.type);
  if (problem) {
    const [lo, hi] = MATCHER_RANGE[cfg.type];
    issues.push(issue("healthCheck.matcher", matcher, problem, `use codes within ${lo}-${hi}, e.g. "200" or "200-299"`));
  }
  return issues;
}

function typeOptionIssues(cfg: Cfg): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (cfg.type === "network") {
    // Desync mitigation and the idle timeout are HTTP attributes of Application Load Balancers (LoadBalancerAttribute).
    if (cfg.desyncMitigationMode !== undefined)
      issues.push(
        issue(
          "desyncMitigationMode",
          cfg.desyncMitigationMode,
          "is an HTTP setting of Application Load Balancers; a Network Load Balancer passes TLS streams",
          'remove it, or use type: "application"',
        ),
      );
    if (cfg.idleTimeoutSeconds !== undefined)
      issues.push(issue("idleTimeoutSeconds", cfg.idleTimeoutSeconds, "is an Application Load Balancer setting", 'remove it, or use type: "application"'));
  } else if (cfg.crossZoneLoadBalancing !== undefined) {
    // Application Load Balancers always balance across zones (LoadBalancerAttribute: load_balancing.cross_zone.enabled is for Network and Gateway Load Balancers).
    issues.push(
      issue(
        "crossZoneLoadBalancing",
        cfg.crossZoneLoadBalancing,
        "is a Network Load Balancer setting; an Application Load Balancer always balances across zones",
        'remove it, or use type: "network"',
      ),
    );
  }
  const t = cfg.idleTimeoutSeconds;
  if (t !== undefined && (!Number.isInteger(t) || t < IDLE_TIMEOUT_RANGE.min || t > IDLE_TIMEOUT_RANGE.max))
    issues.push(
      issue(
        "idleTimeoutSeconds",
        t,
        `is not a whole number of seconds from ${IDLE_TIMEOUT_RANGE.min} to ${IDLE_TIMEOUT_RANGE.max}`,
        "use e.g. 300 for long generations, or omit it for 60",
      ),
    );
  return issues;
}

function inferenceGroupIssues(cfg: Cfg, context: InferenceLoadBalancerContext): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const id = context.inferenceSecurityGroupId;
  if (known(id) && !SECURITY_GROUP_ID.test(id))
    issues.push(issue("inferenceSecurityGroupId", id, "is not a security group id", "pass the inference group's id, e.g. groups.ids.inference"));
  const view = context.inferenceGroup;
  if (!view) return issues;
  for (const [name, listener] of Object.entries(cfg.listeners)) {
    const port = listenerTargetPort(cfg, listener);
    if (!view.servingPorts.some((p) => covers(toRange(p), toRange(port))))
      issues.push(
        issue(
          listener.targetPort !== undefined ? `listeners.${name}.targetPort` : "servingPort",
          port,
          `is not a serving port of the inference group (${view.servingPorts.map((p) => (typeof p === "number" ? p : `${p.from}-${p.to}`)).join(", ") || "none"})`,
          "use one of the inference group's servingPorts, or add this port to them",
        ),
      );
  }
  const others = [...view.callerGroups.map((g) => `group ${g}`), ...view.callerCidrs];
  if (others.length > 0)
    issues.push(
      issue(
        "inferenceSecurityGroupId",
        others,
        `names an inference group that also admits ${others.join(", ")} on its serving ports; the load balancer's group must be its only caller`,
        "remove securityGroups.inference.callerGroups and callerCidrs, and let clients call the load balancer (callerCidrs, callerGroups)",
      ),
    );
  return issues;
}
