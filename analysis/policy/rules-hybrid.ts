/**
 * Rules for the hybrid and serving parts of a network: load balancers in
 * front of inference, Route 53 Resolver endpoints, Direct Connect gateway
 * associations. Mapped controls as checkov and AWS Security Hub CSPM document
 * them ("Security Hub CSPM controls for Elastic Load Balancing",
 * docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html).
 */
import type { ModelLoadBalancer, NetworkModel } from "../model";
import { contains } from "../paths";
import type { TfDocument, TfResource } from "../tfjson";
import { modelOf } from "./doc-model";
import type { RawFinding, Rule } from "./rules";

/**
 * TLS 1.2 or later: the TLS13 policies, and the TLS-1-2 and FS-1-2 families.
 * Every other predefined policy also accepts TLS 1.0 or 1.1 ("Security
 * policies for your Application Load Balancer", elasticloadbalancing
 * application user guide, describe-ssl-policies). A listener without a policy
 * gets ELBSecurityPolicy-2016-08 from the API, which accepts TLS 1.0.
 */
export const TLS12_POLICY = /^ELBSecurityPolicy-(?:TLS13-1-[23]|TLS-1-2|FS-1-2)(?:-|$)/;

/** Findings on load balancers (or their listeners) from a per-balancer check. */
function perBalancer(doc: TfDocument, check: (lb: ModelLoadBalancer, m: NetworkModel) => { address: string; message: string }[]): RawFinding[] {
  const m = modelOf(doc);
  return m.loadBalancers.flatMap((lb) =>
    check(lb, m)
      .map((f) => ({ resource: doc.byAddress(f.address), message: f.message }))
      .filter((f): f is { resource: TfResource; message: string } => f.resource !== undefined),
  );
}

export const HYBRID_RULES: readonly Rule[] = [
  {
    id: "MLN-ELB-1",
    title: "Load balancer listeners use HTTPS or TLS; an HTTP listener only redirects to HTTPS",
    severity: "error",
    controls: { checkov: "CKV_AWS_2, CKV2_AWS_20", securityHub: "ELB.1" },
    fix: "listen on HTTPS (ALB) or TLS (NLB) with a certificate; keep port 80 only as a redirect to 443",
    check: (doc) =>
      perBalancer(doc, (lb) =>
        lb.listeners
          .filter((l) => (l.protocol === "HTTP" && !l.redirectsToHttps) || (lb.type === "network" && (l.protocol === "TCP" || l.protocol === "UDP")))
          .map((l) => ({ address: l.address, message: `${l.protocol} listener on port ${l.port} carries traffic in clear text` })),
      ),
  },
  {
    id: "MLN-ELB-2",
    title: "HTTPS and TLS listeners use a TLS 1.2+ security policy",
    severity: "error",
    controls: { checkov: "CKV_AWS_103", securityHub: "ELB.17" },
    fix: "set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS 1.2+ policy)",
    check: (doc) =>
      perBalancer(doc, (lb) =>
        lb.listeners
          .filter((l) => (l.protocol === "HTTPS" || l.protocol === "TLS") && !TLS12_POLICY.test(l.sslPolicy ?? ""))
          .map((l) => ({
            address: l.address,
            message: l.sslPolicy
              ? `uses ${l.sslPolicy}, which accepts TLS below 1.2`
              : "has no ssl_policy: the API default ELBSecurityPolicy-2016-08 accepts TLS 1.0",
          })),
      ),
  },
  {
    id: "MLN-ELB-3",
    title: "Application Load Balancers drop invalid header fields and mitigate desync",
    severity: "error",
    controls: { checkov: "CKV_AWS_131, CKV_AWS_328", securityHub: "ELB.4, ELB.12" },
    fix: "set drop_invalid_header_fields = true, and desync_mitigation_mode defensive (the default) or strictest",
    check: (doc) =>
      perBalancer(doc, (lb) => {
        if (lb.type !== "application") return [];
        const problems = [
          lb.dropInvalidHeaders ? undefined : "passes invalid header fields to the targets",
          lb.desyncMitigation === "monitor" ? "only monitors HTTP desync" : undefined,
        ].filter((p): p is string => !!p);
        return problems.length ? [{ address: lb.address, message: problems.join("; ") }] : [];
      }),
  },
  {
    id: "MLN-ELB-4",
    title: "Load balancers write access logs",
    severity: "warning",
    controls: { checkov: "CKV_AWS_91", securityHub: "ELB.5" },
    fix: "give the load balancer an access-log bucket (InferenceLoadBalancer accessLogs)",
    check: (doc) => perBalancer(doc, (lb) => (lb.accessLogs ? [] : [{ address: lb.address, message: "writes no access logs" }])),
  },
  {
    id: "MLN-ELB-5",
    title: "Internet-facing load balancers sit in public subnets; internal ones never do",
    severity: "error",
    controls: {},
    fix: "put an internet-facing load balancer in the public tier (and only with a named opt-in); keep internal ones in private subnets",
    check: (doc) =>
      perBalancer(doc, (lb, m) => {
        const tiers = [...new Set(lb.subnets.map((s) => m.subnets.find((x) => x.address === s)?.tier).filter((t): t is string => !!t))];
        if (!lb.internal && tiers.some((t) => t !== "public")) return [{ address: lb.address, message: `is internet-facing in the ${tiers.join(", ")} tier` }];
        if (lb.internal && tiers.includes("public")) return [{ address: lb.address, message: "is internal but placed in the public tier" }];
        return [];
      }),
  },
  {
    id: "MLN-ELB-6",
    title: "Load balancers have deletion protection in production environments",
    severity: "warning",
    controls: { checkov: "CKV_AWS_150", securityHub: "ELB.6" },
    fix: "set deletionProtection: true on the environment's inference load balancer",
    check: (doc, ctx) =>
      ctx.environment !== undefined && ctx.multiAzEnvironments.includes(ctx.environment)
        ? perBalancer(doc, (lb) => (lb.deletionProtection ? [] : [{ address: lb.address, message: `can be deleted in ${ctx.environment}` }]))
        : [],
  },
  {
    id: "MLN-ELB-7",
    title: "Load balancers span at least two Availability Zones",
    severity: "error",
    controls: { securityHub: "ELB.13" },
    fix: "place the load balancer in subnets of two or more AZs",
    check: (doc) =>
      perBalancer(doc, (lb, m) => {
        const azs = new Set(lb.subnets.map((s) => m.subnets.find((x) => x.address === s)?.az).filter((a): a is string => !!a));
        const known = lb.subnets.every((s) => m.subnets.some((x) => x.address === s));
        return known && azs.size < 2 ? [{ address: lb.address, message: `spans ${azs.size} AZ` }] : [];
      }),
  },
  {
    id: "MLN-DNS-1",
    title: "Resolver endpoints sit in two or more AZs and their groups carry DNS only (53, and the ports of the on-premises servers)",
    severity: "error",
    controls: {},
    fix: "give the endpoint IP addresses in subnets of two AZs; limit its security group to TCP and UDP 53",
    check: (doc) => {
      const m = modelOf(doc);
      const findings: RawFinding[] = [];
      for (const e of m.resolverEndpoints) {
        const resource = doc.byAddress(e.address);
        if (!resource) continue;
        const azs = new Set(e.subnets.map((s) => m.subnets.find((x) => x.address === s)?.az).filter((a): a is string => !!a));
        if (e.subnets.every((s) => m.subnets.some((x) => x.address === s)) && azs.size < 2)
          findings.push({ resource, message: `has addresses in ${azs.size} AZ` });
        const direction = e.direction === "INBOUND" ? "ingress" : "egress";
        // An outbound endpoint also speaks DNS on the ports its rules' on-premises servers listen on
        // (CreateResolverEndpoint, SecurityGroupIds: open "the port that you're using for DNS queries on your network",
        // docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_CreateResolverEndpoint.html).
        const ports = new Set([53, ...m.resolverRules.filter((r) => r.endpoint === e.address).flatMap((r) => r.targets.map((t) => t.port))]);
        const wide = m.securityGroups
          .filter((g) => e.securityGroups.includes(g.address))
          .flatMap((g) => g.rules.filter((r) => r.direction === direction && (r.protocol === "all" || r.from !== r.to || !ports.has(r.from))));
        if (wide.length > 0) findings.push({ resource, message: `its group allows ${direction} beyond DNS (${wide.map((r) => r.address).join(", ")})` });
      }
      return findings;
    },
  },
  {
    id: "MLN-DX-1",
    title: "Direct Connect gateway associations allow the VPC's CIDR blocks and nothing beyond them",
    severity: "error",
    controls: {},
    fix: "set allowed_prefixes to the VPC CIDR blocks (DirectConnectGateway allowedPrefixes)",
    // "Allowed prefixes interactions" (Direct Connect user guide, docs.aws.amazon.com/directconnect/latest/UserGuide/allowed-to-prefixes.html):
    // with a virtual private gateway, a prefix must be the same as or wider than a VPC CIDR, and only the VPC CIDR is
    // advertised (a prefix that holds none lets nothing through); with a transit gateway the prefixes themselves are
    // advertised, so one beyond the VPC announces addresses the VPC does not have.
    check: (doc) => {
      const m = modelOf(doc);
      return m.dxAssociations.flatMap((a) => {
        const resource = doc.byAddress(a.address);
        const vpcCidrs = (a.vpc ? m.vpcs.filter((v) => v.address === a.vpc) : m.vpcs).flatMap((v) => v.cidrs);
        if (!resource || vpcCidrs.length === 0) return [];
        if (a.gatewayKind === "vgw") {
          const empty = a.allowedPrefixes.filter((p) => !vpcCidrs.some((c) => contains(p, c)));
          return empty.length ? [{ resource, message: `allows ${empty.join(", ")}, which holds no VPC CIDR (${vpcCidrs.join(", ")}): nothing passes` }] : [];
        }
        const outside = a.allowedPrefixes.filter((p) => !vpcCidrs.some((c) => contains(c, p)));
        return outside.length ? [{ resource, message: `advertises ${outside.join(", ")} beyond the VPC (${vpcCidrs.join(", ")})` }] : [];
      });
    },
  },
];
