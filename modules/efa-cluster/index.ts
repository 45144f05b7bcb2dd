/**
 * EfaCluster: GPU or Trainium nodes for distributed training on EFA.
 *
 * A cluster placement group; a launch template whose network interfaces
 * follow the instance type (an ENA primary interface and one EFA-only
 * interface per network card, as the EC2 guide lays them out; types outside
 * the built-in table are described by `instanceSpec`); no public IP; IMDSv2
 * required; an encrypted root volume; the AMI from an SSM parameter or id; an
 * instance profile with SSM access (no bastion); an auto scaling group pinned
 * to one training subnet, min 0, so an idle cluster costs nothing; the
 * required tags on every instance, volume and interface it launches. The `efa`
 * security group (all traffic to and from itself only, HTTPS to endpoints and
 * S3) comes from SegmentedSecurityGroups with `efa: true`.
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { AwsContext } from "../core/aws-context";
import { resolveProps } from "../core/errors";
import { tagIssues } from "../core/aws-limits";
import { policyJson, serviceTrustPolicy } from "../core/policy";
import { awsOwnedObjectArns } from "../endpoints/aws-owned-buckets";
import { suppress } from "../core/suppressions";
import { named } from "../core/tags";
import { assertNetwork, selectSubnets, type IMlNetwork, type SubnetTier } from "../network";
import { efaInterfaceLayout } from "./instance-types";
import { efaClusterConfigSchema, resolveInstanceSpec, validateEfaCluster, type ResolvedEfaClusterConfig, type ResolvedInstanceSpec } from "./schema";

export {
  EFA_INSTANCE_TYPES,
  EFA_INSTANCE_TYPE_NAMES,
  efaInterfaceLayout,
  networkCardsOf,
  type EfaInstanceTypeName,
  type EfaInterfaceSlot,
  type EfaInstanceType,
} from "./instance-types";
export { efaClusterConfigSchema, resolveInstanceSpec, validateEfaCluster, type ResolvedEfaClusterConfig, type ResolvedInstanceSpec } from "./schema";

/**
 * The EFA layout of an instance type, for a type the built-in table
 * (`EFA_INSTANCE_TYPES`) lacks: the same fields as the table's entries. Read
 * them with `aws ec2 describe-instance-types --instance-types <type> --query
 * "InstanceTypes[].NetworkInfo.[EfaInfo.MaximumEfaInterfaces,MaximumNetworkCards]"`.
 * The launch template gets an ENA primary interface (card 0, device 0) and
 * `efaInterfaces` EFA-only interfaces, one per network card: card 0 at device
 * 1 (when it has EFA), the next cards at device 0.
 */
export interface EfaInstanceSpec {
  /** EFA-only interfaces per node, one per network card: the type's `MaximumEfaInterfaces`. A whole number from 1. */
  readonly efaInterfaces: number;
  /**
   * Network cards of the type (`MaximumNetworkCards`); `efaInterfaces` must fit
   * on them, one per card, card 0 excluded when it has no EFA.
   * @default - efaInterfaces, plus 1 when efaOnCardZero is false
   */
  readonly networkCards?: number;
  /** Whether network card 0 supports EFA; false (e.g. p6-b300) starts the EFA interfaces on card 1. @default true */
  readonly efaOnCardZero?: boolean;
  /** Aggregate network bandwidth in Gbps, for reference as in the table. @default - not recorded */
  readonly networkGbps?: number;
  /** The accelerators, for reference as in the table, e.g. `8x NVIDIA B200`. @default - not recorded */
  readonly accelerators?: string;
  /** GPU (NVIDIA) or Neuron (Trainium): which AMI family fits, as in the table. @default - not recorded */
  readonly family?: "gpu" | "neuron";
  /**
   * Why this spec replaces the built-in table's entry, for a type the table
   * has (for example: AWS raised the type's MaximumEfaInterfaces). Required
   * when the spec disagrees with the table, which is otherwise an error; not
   * allowed for a type the table lacks (there is nothing to override, and a
   * misspelled table type would pass unnoticed).
   * @default - none: a spec for a table type must agree with the table
   */
  readonly overrideReason?: string;
}

/** What an environment configures for one cluster. */
export interface EfaClusterConfig {
  /** An EFA-capable instance type: one of the built-in table, e.g. `p5.48xlarge`, or any other with `instanceSpec`. */
  readonly instanceType: string;
  /**
   * The EFA layout of an instance type the built-in table lacks (or, with
   * `overrideReason`, a corrected one for a type it has).
   * @default - none: the built-in table's entry for instanceType
   */
  readonly instanceSpec?: EfaInstanceSpec;
  /** AZ of the cluster. @default - the training tier's AZ, when it has exactly one */
  readonly availabilityZone?: string;
  /** Node counts of the auto scaling group. */
  readonly nodes: {
    /** Fewest nodes; with 0 an idle cluster costs nothing. @default 0 */
    readonly min?: number;
    /** Nodes to run now, between min and max. @default 0 */
    readonly desired?: number;
    /** Most nodes. */
    readonly max: number;
  };
  /** AMI: an SSM parameter path (resolved at deploy) or an AMI id. Nothing is hard-coded. */
  readonly ami: { readonly ssmParameter: string } | { readonly id: string };
  /** Placement group strategy; only `cluster` works with EFA. @default "cluster" */
  readonly placementStrategy?: string;
  /**
   * Launch into an On-Demand Capacity Reservation or a Capacity Block for ML,
   * by reservation id (`cr-...`) or reservation group ARN. Set `capacityBlock:
   * true` for a Capacity Block: the launch template then asks for the
   * `capacity-block` market type, which EC2 requires, and the nodes go without
   * a placement group (Capacity Blocks come co-located; ParallelCluster
   * rejects the combination). Scale the group to zero 30 minutes before the
   * block ends.
   * @default - none: On-Demand capacity in a cluster placement group
   */
  readonly capacityReservation?: {
    /** Capacity reservation id (`cr-...`); give this or `resourceGroupArn`. @default - none */
    readonly id?: string;
    /** ARN of a capacity reservation group; give this or `id`. @default - none */
    readonly resourceGroupArn?: string;
    /** The reservation is a Capacity Block for ML. @default false */
    readonly capacityBlock?: boolean;
  };
  /** Root volume, always encrypted. Each field has its own default. @default {} */
  readonly rootVolume?: {
    /** Size in GiB, 8 to 16384. @default 200 */
    readonly sizeGiB?: number;
    /** KMS key id, alias or ARN. @default - the account's default EBS key */
    readonly kmsKeyId?: string;
    /** The AMI's root device; /dev/sda1 is that of Ubuntu AMIs. @default "/dev/sda1" */
    readonly deviceName?: string;
  };
  /** IMDSv2 hop limit: 1, or 2 when containers on the node need instance credentials. @default 1 */
  readonly imdsHopLimit?: number;
  /** Whether Terraform owns desired capacity. `false`: scale with the AWS CLI and Terraform leaves it alone. @default true */
  readonly manageDesiredCapacity?: boolean;
  /** More managed policies for the node role (e.g. S3 read for datasets). @default [] */
  readonly additionalPolicyArns?: string[];
}

export interface EfaClusterProps extends EfaClusterConfig {
  readonly network: IMlNetwork;
  /** Cluster name, a short slug: `llm`. Resource names become `<network>-<name>-...`. */
  readonly name: string;
  /** The `efa` security group (SegmentedSecurityGroups with efa: true). */
  readonly securityGroupId: string;
  /** Subnet tier of the nodes. @default "training" */
  readonly tier?: SubnetTier;
  /** Extra tags on every resource of the cluster and every node. @default - none */
  readonly tags?: Record<string, string>;
  /**
   * Tags for the instances, volumes and network interfaces the auto scaling
   * group launches. The provider's default_tags do not reach them (AWS
   * launches them, not Terraform), so pass the tags your organization
   * requires here: they are propagated at launch by the group and set in the
   * launch template's tag specifications. MlPlatformStack passes the
   * environment's tags.
   * @default - none: nodes carry Name and Cluster only
   */
  readonly instanceTags?: Record<string, string>;
}

/**
 * Construct-id keys for policy attachments, from the policy names: the first
 * policy of a name keeps the plain name (its address never changes), a later
 * one with the same name from another account or path gets the account (and
 * path) added. Appending a policy never renames an existing attachment.
 */
export function policyAttachmentKeys(arns: readonly string[]): [string, string][] {
  const used = new Set<string>();
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]/g, "-");
  return arns.map((arn) => {
    const [, account = "", resource = ""] = /^arn:[^:]+:iam::([^:]*):policy\/(.*)$/.exec(arn) ?? [];
    const name = resource.split("/").pop() || arn;
    const candidates = [safe(name), safe(`${account}-${name}`), safe(`${account}-${resource}`), safe(arn)];
    const key = candidates.find((c) => !used.has(c)) ?? `${safe(arn)}-${used.size}`;
    used.add(key);
    return [key, arn];
  });
}

export class EfaCluster extends Construct {
  /** The cluster placement group; none for a Capacity Block. */
  readonly placementGroup?: PlacementGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly autoScalingGroup: AutoscalingGroup;
  readonly role: IamRole;
  readonly config: ResolvedEfaClusterConfig;
  /** The AZ and subnet the cluster runs in. */
  readonly availabilityZone: string;
  readonly subnetId: string;
  /** The EFA layout the launch template follows: the table's entry, or `instanceSpec`. */
  readonly instanceSpec: ResolvedInstanceSpec;

  constructor(scope: Construct, id: string, props: EfaClusterProps) {
    super(scope, id);
    const { network, name, securityGroupId, tier = "training", tags: extraTags, instanceTags = {}, ...rest } = props;
    assertNetwork(network, `EfaCluster "${this.node.path}"`);
    const training: Record<string, string[]> = {};
    for (const s of selectSubnets(network, { tiers: [tier] }).subnets) (training[s.availabilityZone] ??= []).push(s.id);
    let az: string | undefined;
    const cfg = resolveProps("EfaCluster", this.node.path, efaClusterConfigSchema, rest, (c) => {
      const result = validateEfaCluster(c, training, tier, { network: network.name, cluster: name, path: "name" });
      az = result.az;
      if (!/^[a-z][a-z0-9-]{0,20}$/.test(name))
        result.issues.push({ path: "name", value: name, message: "is not a short lower-case slug", fix: 'use a name such as "llm"' });
      result.issues.push(...tagIssues(extraTags, "tags", ["Name", "Cluster"]), ...tagIssues(instanceTags, "instanceTags", ["Name", "Cluster"]));
      return result.issues;
    });
    this.config = cfg;
    this.availabilityZone = az!;
    this.subnetId = selectSubnets(network, { tiers: [tier], availabilityZones: [az!] }).subnetIds[0];
    const tags = extraTags ?? {};
    const base = `${network.name}-${name}`;
    const ctx = AwsContext.of(this);
    const type = cfg.instanceType;
    const spec = resolveInstanceSpec(cfg)!;
    this.instanceSpec = spec;

    const capacityBlock = cfg.capacityReservation?.capacityBlock === true;
    if (!capacityBlock) {
      this.placementGroup = new PlacementGroup(this, "placement-group", {
        name: base,
        strategy: "cluster",
        tags: named(base, tags),
      });
    }
    // What every launched instance, volume and interface carries (default_tags do not reach them).
    const nodeTags = named(`${base}-node`, { ...instanceTags, ...tags }, { Cluster: base });
    const layout = efaInterfaceLayout(spec);

    // Nodes reach Systems Manager through its endpoints: Session Manager replaces a bastion.
    this.role = new IamRole(this, "node-role", {
      name: `${base}-node`,
      description: `EFA training nodes of ${base}`,
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
      tags: named(`${base}-node`, tags),
    });
    const policies = [`arn:${ctx.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`, ...cfg.additionalPolicyArns];
    for (const [key, arn] of policyAttachmentKeys(policies)) {
      new IamRolePolicyAttachment(this, `node-policy-${key}`, { role: this.role.name, policyArn: arn });
    }
    // What a node needs besides Session Manager: pulling images from ECR (repositories of any account in
    // the region, such as AWS Deep Learning Containers; their repository policies still decide), and
    // reading the AWS-owned buckets the SSM Agent and OS package managers use. Behind a VPC endpoint the
    // instance profile must allow those reads ("SSM Agent communications with AWS managed S3 buckets").
    const region = network.region ?? ctx.region;
    new IamRolePolicy(this, "node-policy", {
      name: "pull-images-and-agent-files",
      role: this.role.id,
      policy: policyJson({
        Version: "2012-10-17",
        Statement: [
          { Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
          {
            Sid: "EcrPull",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            Resource: `arn:${ctx.partition}:ecr:${region}:*:repository/*`,
          },
          { Sid: "AwsOwnedBuckets", Effect: "Allow", Action: "s3:GetObject", Resource: awsOwnedObjectArns(region, ctx.partition) },
        ],
      }),
    });
    const profile = new IamInstanceProfile(this, "instance-profile", { name: `${base}-node`, role: this.role.name, tags: named(`${base}-node`, tags) });

    const imageId = "id" in cfg.ami ? cfg.ami.id : new DataAwsSsmParameter(this, "ami", { name: cfg.ami.ssmParameter }).insecureValue;

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: base,
      description: `ENA primary and ${spec.efaInterfaces} EFA-only interfaces for ${type}`,
      imageId,
      instanceType: type,
      updateDefaultVersion: true,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: cfg.imdsHopLimit, instanceMetadataTags: "disabled" },
      blockDeviceMappings: [
        {
          deviceName: cfg.rootVolume.deviceName,
          ebs: { volumeSize: cfg.rootVolume.sizeGiB, volumeType: "gp3", encrypted: "true", kmsKeyId: cfg.rootVolume.kmsKeyId, deleteOnTermination: "true" },
        },
      ],
      // ENA primary, one EFA-only interface per network card. associate_public_ip_address stays
      // unset: EC2 rejects it on a launch with more than one interface ("You can't auto-assign a
      // public IP address if you specify more than one network interface", EC2 user guide,
      // "Manage the IPv4 addresses for your EC2 instances"), and training subnets assign none.
      // The subnet comes from the auto scaling group (one training subnet), as for EKS and
      // ParallelCluster EFA node groups.
      networkInterfaces: layout.map((slot) => ({
        networkCardIndex: slot.networkCardIndex,
        deviceIndex: slot.deviceIndex,
        interfaceType: slot.interfaceType,
        securityGroups: [securityGroupId],
        deleteOnTermination: "true",
      })),
      // Capacity Blocks need the capacity-block market type besides the reservation target
      // ("Use Capacity Blocks for machine learning workloads", EC2 Auto Scaling user guide,
      // docs.aws.amazon.com/autoscaling/ec2/userguide/launch-template-capacity-blocks.html).
      instanceMarketOptions: capacityBlock ? { marketType: "capacity-block" } : undefined,
      capacityReservationSpecification: cfg.capacityReservation
        ? {
            capacityReservationTarget: cfg.capacityReservation.id
              ? { capacityReservationId: cfg.capacityReservation.id }
              : { capacityReservationResourceGroupArn: cfg.capacityReservation.resourceGroupArn },
          }
        : undefined,
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: nodeTags })),
      tags: named(base, tags),
    });

    suppress(
      this.launchTemplate,
      "MLN-EC2-3",
      `EFA needs an ENA primary and one EFA-only interface per network card: ${layout.length} on ${type}${spec.source === "override" ? ` (instanceSpec overrides the built-in table: ${cfg.instanceSpec?.overrideReason})` : ""}`,
    );

    this.autoScalingGroup = new AutoscalingGroup(this, "nodes", {
      name: base,
      minSize: cfg.nodes.min,
      maxSize: cfg.nodes.max,
      desiredCapacity: cfg.nodes.desired,
      vpcZoneIdentifier: [this.subnetId],
      placementGroup: this.placementGroup?.id,
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      healthCheckType: "EC2",
      // A training job is all-or-nothing: never rebalance nodes out of the placement group mid-run.
      capacityRebalance: false,
      waitForCapacityTimeout: "0",
      // The group's tags, propagated to every instance it launches (volumes and interfaces get theirs
      // from the launch template).
      tag: Object.entries(nodeTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      lifecycle: cfg.manageDesiredCapacity ? undefined : { ignoreChanges: ["desired_capacity"] },
    });
  }
}
