/**
 * MlPlatformStack: one environment's Terraform stack. It validates an
 * EnvironmentConfig, composes the modules from it (network, security groups,
 * NACLs, endpoints, VPN, EFA clusters, SageMaker, governance), sets the
 * provider, backend and outputs, and offers `checks()`: the synth-time gate
 * (AWS name and tag limits, the compliance pack) that `main.ts` enforces.
 * It also patches the one place where cdktf 0.21's HCL output is wrong.
 */
import type { Construct, IConstruct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MlVpc, SUBNET_TIERS, type SubnetTier } from "../modules/network";
import { ConfigError, limitIssues, suppress, type ConfigIssue } from "../modules/core";
import { complianceIssues } from "../analysis";
import { MlVpcEndpoints, type VpcEndpointsConfig } from "../modules/endpoints";
import { SiteToSiteVpn } from "../modules/vpn";
import { EfaCluster } from "../modules/efa-cluster";
import { SageMakerWorkspace, sagemakerVpcConfigs } from "../modules/sagemaker";
import { ConfigDriftRules } from "../modules/governance";
import { TierNetworkAcls, findBlockedFlows } from "../modules/network-acls";
import { GROUP_TIERS, SECURITY_GROUP_NAMES, SegmentedSecurityGroups, type SegmentedSecurityGroupsConfig } from "../modules/security-groups";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { HybridDns, normalizeDomain } from "../modules/hybrid-dns";
import { DirectConnectGateway } from "../modules/direct-connect";
import { PartnerEndpoints } from "../modules/partner-endpoints";
import { InferenceLoadBalancer } from "../modules/inference-ingress";
import { resolveEnvironment, type EnvironmentConfig, type ResolvedEnvironment } from "./config";

/** A stack's rendered Terraform JSON (cdktf types it as any). */
type TerraformJson = Record<string, unknown>;

export class MlPlatformStack extends TerraformStack {
  readonly config: ResolvedEnvironment;
  private rendered?: { readonly constructs: number; readonly json: TerraformJson };
  private checked?: { readonly json: unknown; readonly issues: ConfigIssue[] };
  readonly network: MlVpc;
  readonly securityGroups: SegmentedSecurityGroups;
  readonly networkAcls: TierNetworkAcls;
  readonly endpoints: MlVpcEndpoints;
  readonly vpn?: SiteToSiteVpn;
  readonly efaClusters: Readonly<Record<string, EfaCluster>>;
  readonly sagemaker?: SageMakerWorkspace;
  readonly hybridDns?: HybridDns;
  readonly directConnect?: DirectConnectGateway;
  readonly partnerEndpoints?: PartnerEndpoints;
  readonly inferenceIngress?: InferenceLoadBalancer;

  /** Validates `config` (throws a ConfigError naming the environment) and builds the stack. */
  constructor(scope: Construct, config: EnvironmentConfig | ResolvedEnvironment) {
    const resolved = "vpc" in config ? config : resolveEnvironment(config);
    super(scope, resolved.name);
    this.config = resolved;

    new AwsProvider(this, "aws", {
      region: resolved.region,
      defaultTags: [{ tags: resolved.tags }],
    });
    configureBackend(this, resolved);

    this.network = new MlVpc(this, "network", resolved.vpc);
    // The loader checked every group and service name; the props types are the narrower names.
    this.securityGroups = new SegmentedSecurityGroups(this, "security-groups", {
      network: this.network,
      ...(resolved.securityGroups as SegmentedSecurityGroupsConfig),
    });
    this.endpoints = new MlVpcEndpoints(this, "endpoints", {
      network: this.network,
      securityGroupIds: [this.securityGroups.ids.vpcEndpoints],
      ...(resolved.endpoints as VpcEndpointsConfig<string>),
    });
    if (resolved.vpn) {
      this.vpn = new SiteToSiteVpn(this, "vpn", { network: this.network, onPremisesCidrs: resolved.onPremisesCidrs, ...resolved.vpn });
    }
    const clusters: Record<string, EfaCluster> = {};
    for (const [name, cluster] of Object.entries(resolved.efaClusters)) {
      // Nodes launched by the auto scaling group never see the provider's default_tags: hand them over.
      clusters[name] = new EfaCluster(this, `efa-${name}`, {
        network: this.network,
        name,
        securityGroupId: this.securityGroups.ids.efa!,
        instanceTags: resolved.tags,
        ...cluster,
      });
    }
    this.efaClusters = clusters;
    const groups = this.securityGroups.ids;
    if (resolved.sagemaker) {
      this.sagemaker = new SageMakerWorkspace(this, "sagemaker", {
        network: this.network,
        securityGroupIds: { notebook: groups.notebook, training: groups.training, inference: groups.inference },
        ...resolved.sagemaker,
      });
    }
    ({
      hybridDns: this.hybridDns,
      directConnect: this.directConnect,
      partnerEndpoints: this.partnerEndpoints,
      inferenceIngress: this.inferenceIngress,
    } = createHybrid(this, resolved, this.vpn));
    this.networkAcls = new TierNetworkAcls(this, "network-acls", {
      network: this.network,
      onPremisesCidrs: resolved.onPremisesCidrs,
      ...resolved.networkAcls,
    });
    // The NACLs are a safety net under the security groups, never a second, contradicting policy.
    // The load balancer's and the partners' groups are proved like the segmented ones.
    const extra = [this.inferenceIngress, this.partnerEndpoints].filter((m) => m !== undefined);
    const placement: Record<string, readonly SubnetTier[]> = { ...GROUP_TIERS, vpcEndpoints: [resolved.endpoints.interface.tier] };
    for (const m of extra) Object.assign(placement, m.flowPlacement);
    const flows = [...this.securityGroups.rules, ...extra.flatMap((m) => m.flows)];
    const blocked = findBlockedFlows(flows, this.networkAcls.rules, this.network.subnets, placement);
    if (blocked.length > 0) {
      throw new ConfigError(
        `environment "${resolved.name}"`,
        blocked.map((b) => ({
          path: "networkAcls",
          value: b.rule,
          message: `blocks the ${b.leg} that security-group rule ${b.rule} allows (${b.nacl} NACL: ${b.decidedBy})`,
          fix: "allow it in networkAcls (extraRules, internetEgressPorts, onPremisesTiers) or remove the security-group rule",
        })),
      );
    }

    new TerraformOutput(this, "vpc_id", { value: this.network.vpcId, description: "VPC id" });
    for (const tier of SUBNET_TIERS) {
      if (!resolved.vpc.tiers[tier]) continue;
      new TerraformOutput(this, `${tier}_subnet_ids`, {
        value: this.network.selectSubnets({ tiers: [tier] }).subnetIds,
        description: `Subnet ids of the ${tier} tier, in AZ order`,
      });
    }
    if (resolved.governance) new ConfigDriftRules(this, "governance", { name: resolved.namePrefix, region: resolved.region, ...resolved.governance });

    for (const sup of resolved.suppressions) {
      const target = sup.construct.split("/").reduce<IConstruct | undefined>((node, part) => node?.node.tryFindChild(part), this);
      if (!target) {
        const top = this.node.children.map((c) => c.node.id).join(", ");
        throw new ConfigError(`environment "${resolved.name}"`, [
          {
            path: "suppressions",
            value: sup.construct,
            message: "names no construct of the stack",
            fix: `use a path below the stack, starting with one of: ${top}`,
          },
        ]);
      }
      suppress(target, sup.rule, sup.reason);
    }

    // Every synth checks the final names and tags against AWS's limits, and runs the compliance pack;
    // a breach or an unsuppressed error fails it (cdktf synth reports the lines; main.ts throws a ConfigError).
    this.node.addValidation({ validate: () => this.checks().map((i) => `${i.message}. Fix: ${i.fix}`) });

    // Ready for the SageMaker SDK: estimator(subnets=..., security_group_ids=...), Model(vpc_config=...).
    const vpcConfigs = sagemakerVpcConfigs(this.network, { training: groups.training, inference: groups.inference });
    new TerraformOutput(this, "sagemaker_training_vpc_config", {
      value: vpcConfigs.training,
      description: "VpcConfig for SageMaker training and processing jobs",
    });
    new TerraformOutput(this, "sagemaker_inference_vpc_config", { value: vpcConfigs.inference, description: "VpcConfig for SageMaker models and endpoints" });
    for (const name of SECURITY_GROUP_NAMES) {
      const id = this.securityGroups.ids[name];
      if (id)
        new TerraformOutput(this, `${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_security_group_id`, {
          value: id,
          description: `The ${name} security group`,
        });
    }
  }

  /**
   * Every finding of the synth-time checks, as configuration issues: names
   * and tags beyond AWS's limits, and unsuppressed errors of the compliance
   * pack. Empty when the stack may synthesize. Computed once per rendering.
   */
  checks(): ConfigIssue[] {
    const json = this.renderForCheck();
    const checked = this.checked;
    if (checked && checked.json === json) return checked.issues;
    const issues = [...limitIssues(json), ...complianceIssues(json, { environment: this.config.name })];
    this.checked = { json, issues };
    return issues;
  }

  /**
   * The synth-time compliance check renders the stack's JSON just before the
   * synthesizer renders it again; rendering is the most expensive step of
   * synth. The check's rendering is kept for exactly the next call (the
   * synthesizer's), and only if no construct was added in between.
   */
  override toTerraform(): TerraformJson {
    const constructs = this.node.findAll().length;
    const kept = this.rendered;
    this.rendered = undefined;
    if (kept && kept.constructs === constructs) return kept.json;
    return super.toTerraform() as TerraformJson;
  }

  /**
   * cdktf 0.21 renders extra attributes of the `terraform` block in HCL as
   * their key list (`0 = "required_version"`, `renderTerraform` in
   * cdktf/lib/hcl/render.js); the JSON is right. Put the attribute back.
   */
  override toHclTerraform(): ReturnType<TerraformStack["toHclTerraform"]> {
    const out = super.toHclTerraform() as { hcl: string; metadata: unknown };
    return { ...out, hcl: out.hcl.replace(/^[ \t]*0 = "required_version"[ \t]*$/m, `required_version = "${REQUIRED_TERRAFORM_VERSION}"`) };
  }

  /** Renders the JSON for the compliance check and keeps it for the synthesizer's next call. */
  renderForCheck(): TerraformJson {
    const constructs = this.node.findAll().length;
    if (this.rendered && this.rendered.constructs === constructs) return this.rendered.json;
    const json = super.toTerraform() as TerraformJson;
    this.rendered = { constructs, json };
    return json;
  }
}

/** Hybrid DNS, Direct Connect, partner endpoints and the inference load balancer, as configured, with their outputs. */
function createHybrid(
  stack: MlPlatformStack,
  resolved: ResolvedEnvironment,
  vpn: SiteToSiteVpn | undefined,
): Pick<MlPlatformStack, "hybridDns" | "directConnect" | "partnerEndpoints" | "inferenceIngress"> {
  const network = stack.network;
  const groups = stack.securityGroups.ids;
  let directConnect: DirectConnectGateway | undefined;
  let hybridDns: HybridDns | undefined;
  let partnerEndpoints: PartnerEndpoints | undefined;
  let inferenceIngress: InferenceLoadBalancer | undefined;
  // The loader requires a VPN with Direct Connect: the association needs its virtual private gateway.
  if (resolved.directConnect && vpn) {
    directConnect = new DirectConnectGateway(stack, "direct-connect", { network, virtualPrivateGatewayId: vpn.vpnGateway.id, ...resolved.directConnect });
    new TerraformOutput(stack, "direct_connect_gateway_id", {
      value: directConnect.gatewayId,
      description: "Direct Connect gateway: attach your transit or private virtual interface to it",
    });
  }
  if (resolved.hybridDns) {
    hybridDns = new HybridDns(stack, "hybrid-dns", { network, onPremisesCidrs: resolved.onPremisesCidrs, ...resolved.hybridDns });
    const inbound = hybridDns.inboundEndpoint;
    if (inbound)
      new TerraformOutput(stack, "dns_inbound_endpoint_ips", {
        value: `\${[for a in ${inbound.fqn}.ip_address : a.ip]}`,
        description: "Addresses of the Route 53 Resolver inbound endpoint: point on-premises conditional forwarders here",
      });
  }
  // The loader checked every caller name against the groups this stack creates.
  if (resolved.partnerEndpoints) {
    partnerEndpoints = new PartnerEndpoints<string>(stack, "partner-endpoints", {
      network,
      securityGroupIds: groups,
      ...resolved.partnerEndpoints,
    });
    new TerraformOutput(stack, "partner_endpoint_dns_names", {
      value: Object.fromEntries(Object.entries(partnerEndpoints.endpoints).map(([name, endpoint]) => [name, endpoint.dnsEntry.get(0).dnsName])),
      description: "Regional DNS name of each partner's interface endpoint, by partner (also <partner>.<private zone> with hybridDns)",
    });
  }
  if (resolved.inferenceIngress) {
    const { callerGroups, ...lb } = resolved.inferenceIngress;
    const callers = Object.fromEntries(callerGroups.map((g) => [g, (groups as Readonly<Record<string, string>>)[g]]));
    inferenceIngress = new InferenceLoadBalancer(stack, "inference-ingress", {
      network,
      inferenceSecurityGroupId: groups.inference,
      callerGroups: callers,
      ...lb,
    });
    new TerraformOutput(stack, "inference_load_balancer_dns_name", { value: inferenceIngress.dnsName, description: "DNS name of the inference load balancer" });
  }
  const zone = hybridDns?.privateZone;
  if (zone && resolved.hybridDns?.privateZone) {
    // Stable names in the private zone, for the VPC and (through the inbound endpoint) on-premises:
    // inference.<zone> for the load balancer, <partner>.<zone> for each partner endpoint.
    const zoneName = normalizeDomain(resolved.hybridDns.privateZone.name);
    if (inferenceIngress)
      new Route53Record(stack, "zone-record-inference", {
        zoneId: zone.zoneId,
        name: `inference.${zoneName}`,
        type: "A",
        alias: { name: inferenceIngress.dnsName, zoneId: inferenceIngress.loadBalancer.zoneId, evaluateTargetHealth: true },
      });
    for (const [name, endpoint] of Object.entries(partnerEndpoints?.endpoints ?? {}))
      new Route53Record(stack, `zone-record-partner-${name}`, {
        zoneId: zone.zoneId,
        name: `${name}.${zoneName}`,
        type: "CNAME",
        ttl: 300,
        records: [endpoint.dnsEntry.get(0).dnsName],
      });
  }
  return { hybridDns, directConnect, partnerEndpoints, inferenceIngress };
}

/**
 * The oldest Terraform every stack accepts: S3-native state locking
 * (`use_lockfile`) came in Terraform 1.10 as an experiment and is generally
 * available since 1.11.0 ("Upgrading to Terraform v1.11",
 * developer.hashicorp.com/terraform/language/v1.11.x/upgrade-guides; "Backend
 * Type: s3"). Declared in every stack, local backends included, so a pipeline
 * on an older Terraform fails at init instead of running unlocked after a
 * later switch to S3.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11.0";

function configureBackend(stack: TerraformStack, env: ResolvedEnvironment): void {
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
  const backend = env.backend;
  if (backend.type === "local") {
    new LocalBackend(stack, { path: backend.path ?? `../../../terraform.${env.name}.tfstate` });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix ?? "ml-network"}/${env.name}/terraform.tfstate`,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
    assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
  });
  // S3-native locking; cdktf 0.21's S3BackendConfig has no field for it (DynamoDB locking is deprecated).
  s3.addOverride("use_lockfile", true);
}
