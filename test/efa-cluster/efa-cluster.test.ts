import { Testing } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PlacementGroup } from "@cdktf/provider-aws/lib/placement-group";
import { EFA_INSTANCE_TYPES, EfaCluster, efaInterfaceLayout, type EfaClusterConfig } from "../../modules/efa-cluster";
import { MlVpc, type MlVpcProps } from "../../modules/network";
import { SegmentedSecurityGroups } from "../../modules/security-groups";
import { ENVIRONMENTS, REQUIRED_TAGS, dev, prod, staging, resolveEnvironment, type EnvironmentConfig } from "../../environments";
import { EnvironmentConfigError } from "../../environments/config";
import { baseProps, byPath, ref, resourceList, type TfJson, environmentJson, configIssues } from "../helpers";
import { evaluate } from "../policy-eval";

const AMI = { ssmParameter: "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id" };

function synthCluster(
  config: Partial<EfaClusterConfig> = {},
  vpc: Partial<MlVpcProps> = {},
  instanceTags?: Record<string, string>,
): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" }, ...vpc }));
    const sg = new SegmentedSecurityGroups(scope, "sg", { network, efa: true });
    new EfaCluster(scope, "efa", {
      network,
      name: "llm",
      securityGroupId: sg.ids.efa,
      instanceType: "p5.48xlarge",
      nodes: { max: 4 },
      ami: AMI,
      instanceTags,
      ...config,
    });
  });
  return { text, json: JSON.parse(text) as TfJson };
}

type Nic = {
  network_card_index: number;
  device_index: number;
  interface_type: string;
  associate_public_ip_address: string;
  subnet_id: string;
  security_groups: string[];
};

describe("EFA instance table and interface layout", () => {
  it("covers the required instance types with their EFA interface counts", () => {
    const counts = Object.fromEntries(Object.entries(EFA_INSTANCE_TYPES).map(([k, v]) => [k, v.efaInterfaces]));
    expect(counts).toEqual({
      "p4d.24xlarge": 4,
      "p4de.24xlarge": 4,
      "p5.48xlarge": 32,
      "p5e.48xlarge": 32,
      "p5en.48xlarge": 16,
      "trn1.32xlarge": 8,
      "trn1n.32xlarge": 16,
      "trn2.48xlarge": 16,
      "g5.48xlarge": 1,
      "g6e.48xlarge": 4,
    });
  });

  // The EC2 guide "Maximize network bandwidth on Amazon EC2 instances with multiple network cards":
  // ENA primary at card 0 device 0; EFA-only at card 0 device 1; EFA-only at device 0 on every other card.
  it.each(Object.keys(EFA_INSTANCE_TYPES))("%s: ENA primary, EFA-only at card 0 device 1 and at device 0 of every other card", (type) => {
    const layout = efaInterfaceLayout(type as keyof typeof EFA_INSTANCE_TYPES);
    const count = EFA_INSTANCE_TYPES[type as keyof typeof EFA_INSTANCE_TYPES].efaInterfaces;
    expect(layout.filter((s) => s.interfaceType === "interface")).toEqual([{ networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface" }]);
    const efaOnly = layout.filter((s) => s.interfaceType === "efa-only");
    expect(efaOnly).toHaveLength(count);
    expect(new Set(efaOnly.map((s) => s.networkCardIndex)).size).toBe(count);
    for (const slot of efaOnly) expect(slot.deviceIndex).toBe(slot.networkCardIndex === 0 ? 1 : 0);
    expect(new Set(layout.map((s) => `${s.networkCardIndex}/${s.deviceIndex}`)).size).toBe(layout.length);
  });
});

describe("EFA layout of a type whose card 0 has no EFA", () => {
  it("starts the EFA-only interfaces on card 1, at device 0", () => {
    const layout = efaInterfaceLayout({ efaInterfaces: 2, networkGbps: 400, accelerators: "x", family: "gpu", efaOnCardZero: false });
    expect(layout).toEqual([
      { networkCardIndex: 0, deviceIndex: 0, interfaceType: "interface" },
      { networkCardIndex: 1, deviceIndex: 0, interfaceType: "efa-only" },
      { networkCardIndex: 2, deviceIndex: 0, interfaceType: "efa-only" },
    ]);
  });
});

describe("EfaCluster", () => {
  const { text, json } = synthCluster();
  const lt = byPath(json, "aws_launch_template", "efa/launch-template").body;
  const trainingSubnet = ref("aws_subnet", byPath(json, "aws_subnet", "network/subnet-training-us-east-1a").name);

  it("creates a cluster placement group", () => {
    expect(text).toHaveResourceWithProperties(PlacementGroup, { strategy: "cluster", name: "ml-test-llm" });
  });

  it("p5.48xlarge: an ENA primary and 32 EFA-only interfaces on distinct cards, the efa group only; the group pins the training subnet", () => {
    const nics = lt.network_interfaces as Nic[];
    expect(nics).toHaveLength(33);
    expect(
      nics
        .filter((n) => n.interface_type === "efa-only")
        .map((n) => n.network_card_index)
        .sort((a, b) => a - b),
    ).toEqual([...Array(32).keys()]);
    expect(nics.filter((n) => n.interface_type === "interface")).toEqual([expect.objectContaining({ network_card_index: 0, device_index: 0 })]);
    const efaGroup = ref("aws_security_group", byPath(json, "aws_security_group", "sg/efa").name);
    for (const n of nics) {
      expect(n).toMatchObject({ security_groups: [efaGroup] });
      expect(n.subnet_id).toBeUndefined();
      // EC2 rejects associatePublicIpAddress on a launch with more than one interface.
      expect(n.associate_public_ip_address).toBeUndefined();
    }
    expect(lt.instance_type).toBe("p5.48xlarge");
  });

  it("requires IMDSv2, encrypts the root volume and takes the AMI from the SSM parameter", () => {
    expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_endpoint: "enabled", http_put_response_hop_limit: 1 });
    expect((lt.block_device_mappings as { ebs: Record<string, unknown> }[])[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3", volume_size: 200 });
    expect(text).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: AMI.ssmParameter });
    expect(lt.image_id).toMatch(/^\$\{data\.aws_ssm_parameter\..*\.insecure_value\}$/);
    expect(synthCluster({ ami: { id: "ami-0123456789abcdef0" } }).json).toMatchObject({
      resource: { aws_launch_template: { [byPath(json, "aws_launch_template", "efa/launch-template").name]: { image_id: "ami-0123456789abcdef0" } } },
    });
  });

  it("lets nodes pull images from ECR and read the AWS-owned buckets the SSM Agent and package managers use", () => {
    const policy = JSON.parse(byPath(json, "aws_iam_role_policy", "efa/node-policy").body.policy as string) as {
      Statement: { Action: string | string[]; Resource: string | string[] }[];
    };
    const request = (action: string, resource: string) => evaluate(JSON.stringify(policy), { action, resource, context: {} });
    expect(request("ecr:GetAuthorizationToken", "*")).toBe("allow");
    expect(request("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:763104351884:repository/pytorch-training")).toBe("allow");
    expect(request("ecr:PutImage", "arn:aws:ecr:us-east-1:111122223333:repository/x")).toBe("implicit deny");
    expect(request("s3:GetObject", "arn:aws:s3:::amazon-ssm-us-east-1/latest/agent.rpm")).toBe("allow");
    expect(request("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/x")).toBe("implicit deny");
  });

  it("gives nodes an instance profile with SSM access, so no bastion is needed", () => {
    expect(text).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: expect.stringMatching(/:iam::aws:policy\/AmazonSSMManagedInstanceCore$/),
    });
    expect(lt.iam_instance_profile).toEqual({
      arn: ref("aws_iam_instance_profile", byPath(json, "aws_iam_instance_profile", "efa/instance-profile").name, "arn"),
    });
  });

  it("scales from zero in one training subnet, in the placement group", () => {
    const asg = byPath(json, "aws_autoscaling_group", "efa/nodes").body;
    expect(asg).toMatchObject({
      min_size: 0,
      desired_capacity: 0,
      max_size: 4,
      vpc_zone_identifier: [trainingSubnet],
      placement_group: ref("aws_placement_group", byPath(json, "aws_placement_group", "efa/placement-group").name),
      capacity_rebalance: false,
    });
    expect(text).toHaveResource(AutoscalingGroup);
  });

  it("targets a capacity reservation, and can leave desired capacity to the CLI", () => {
    const reserved = synthCluster({ capacityReservation: { id: "cr-0123456789abcdef0" }, manageDesiredCapacity: false, nodes: { min: 0, desired: 2, max: 4 } });
    const t = resourceList(reserved.json, "aws_launch_template")[0];
    expect(t.capacity_reservation_specification).toEqual({ capacity_reservation_target: { capacity_reservation_id: "cr-0123456789abcdef0" } });
    expect(t.instance_market_options).toBeUndefined();
    const asg = resourceList(reserved.json, "aws_autoscaling_group")[0];
    expect(asg).toMatchObject({ desired_capacity: 2, lifecycle: { ignore_changes: ["desired_capacity"] } });
  });

  it("a Capacity Block: the capacity-block market type with the reservation, and no placement group", () => {
    const block = synthCluster({ capacityReservation: { id: "cr-0123456789abcdef0", capacityBlock: true } });
    const t = resourceList(block.json, "aws_launch_template")[0];
    expect(t.instance_market_options).toEqual({ market_type: "capacity-block" });
    expect(t.capacity_reservation_specification).toEqual({ capacity_reservation_target: { capacity_reservation_id: "cr-0123456789abcdef0" } });
    expect(resourceList(block.json, "aws_placement_group")).toHaveLength(0);
    expect(resourceList(block.json, "aws_autoscaling_group")[0].placement_group).toBeUndefined();
  });

  it("tags launched instances, volumes and interfaces with the given instance tags, through the group and the template", () => {
    const required = { Environment: "test", Project: "p", Owner: "o", CostCenter: "CC-1", Compliance: "internal" };
    const tagged = synthCluster({}, {}, required);
    const t = resourceList(tagged.json, "aws_launch_template")[0];
    const specs = t.tag_specifications as { resource_type: string; tags: Record<string, string> }[];
    expect(specs.map((x) => x.resource_type).sort()).toEqual(["instance", "network-interface", "volume"]);
    for (const spec of specs) expect(spec.tags).toMatchObject({ ...required, Name: "ml-test-llm-node", Cluster: "ml-test-llm" });
    const asgTags = resourceList(tagged.json, "aws_autoscaling_group")[0].tag as { key: string; value: string; propagate_at_launch: boolean }[];
    for (const [key, value] of Object.entries(required)) expect(asgTags).toContainEqual({ key, value, propagate_at_launch: true });
  });
});

describe("EfaCluster rejects bad input", () => {
  const issues = (config: Partial<EfaClusterConfig>, vpc: Partial<MlVpcProps> = {}) => configIssues(() => synthCluster(config, vpc));
  const first = (config: Partial<EfaClusterConfig>, vpc?: Partial<MlVpcProps>) => issues(config, vpc)[0];

  it("an instance type without EFA, listing the supported ones", () => {
    const issue = first({ instanceType: "m5.24xlarge" });
    expect(issue).toMatchObject({ path: "instanceType", message: expect.stringMatching(/does not support EFA/) });
    expect(issue.fix).toMatch(/p4d\.24xlarge.*p5\.48xlarge.*trn2\.48xlarge/);
  });

  it("a cluster across more than one AZ, or in an AZ without a training subnet", () => {
    const twoAzTraining = { tiers: { ...baseProps().tiers, training: { prefixLength: 20 } } };
    expect(first({}, twoAzTraining)).toMatchObject({ path: "availabilityZone", message: expect.stringMatching(/spans us-east-1a, us-east-1b.*one AZ/) });
    expect(first({ availabilityZone: "us-east-1b" })).toMatchObject({ path: "availabilityZone", message: expect.stringMatching(/no training subnet/) });
  });

  it("the training tier absent", () => {
    const { training: _training, ...noTraining } = baseProps().tiers;
    expect(first({}, { tiers: noTraining })).toMatchObject({ path: "network", message: expect.stringMatching(/no training subnet/) });
  });

  it("negative node counts and min > desired > max", () => {
    expect(first({ nodes: { min: -1, max: 4 } })).toMatchObject({ path: "nodes.min" });
    expect(first({ nodes: { min: 2, desired: 1, max: 4 } })).toMatchObject({ path: "nodes.desired", message: expect.stringMatching(/below nodes.min/) });
    expect(first({ nodes: { desired: 5, max: 4 } })).toMatchObject({ path: "nodes.desired", message: expect.stringMatching(/above nodes.max/) });
    expect(first({ nodes: { max: 0 } })).toMatchObject({ path: "nodes.max" });
  });

  it("a placement strategy other than cluster", () => {
    expect(first({ placementStrategy: "spread" })).toMatchObject({ path: "placementStrategy", fix: expect.stringMatching(/"cluster"/) });
  });

  it("malformed AMI, capacity reservation and hop limit", () => {
    expect(first({ ami: { id: "ubuntu" } }).path).toBe("ami.id");
    expect(first({ ami: { ssmParameter: "latest-ami" } }).path).toBe("ami.ssmParameter");
    expect(first({ capacityReservation: { id: "reservation-1" } }).path).toBe("capacityReservation.id");
    expect(first({ capacityReservation: {} }).path).toBe("capacityReservation");
    expect(first({ imdsHopLimit: 3 }).path).toBe("imdsHopLimit");
  });
});

describe("EFA clusters in the environments", () => {
  const cache = new Map<string, TfJson>();
  const json = (e: EnvironmentConfig) => cache.get(e.name) ?? cache.set(e.name, environmentJson(e.name)).get(e.name)!;
  const prodJson = json(prod);

  it("prod: a p5.48xlarge cluster, idle by default, with exactly its EFA interface count on distinct cards", () => {
    const [lt] = resourceList(prodJson, "aws_launch_template");
    expect(lt.instance_type).toBe("p5.48xlarge");
    const cards = (lt.network_interfaces as Nic[]).filter((n) => n.interface_type === "efa-only").map((n) => n.network_card_index);
    expect(cards).toHaveLength(EFA_INSTANCE_TYPES["p5.48xlarge"].efaInterfaces);
    expect(new Set(cards).size).toBe(cards.length);
    expect(resourceList(prodJson, "aws_autoscaling_group")[0]).toMatchObject({ min_size: 0, desired_capacity: 0 });
  });

  it("prod: the efa group's rules are exactly self-ingress, self-egress and HTTPS to endpoints and S3", () => {
    const efa = ref("aws_security_group", byPath(prodJson, "aws_security_group", "security-groups/efa").name);
    const vpce = ref("aws_security_group", byPath(prodJson, "aws_security_group", "security-groups/vpcEndpoints").name);
    const describe = (r: Record<string, unknown>, dir: string) =>
      `${dir} ${r.ip_protocol}${r.from_port !== undefined ? ` ${r.from_port}` : ""} ${r.referenced_security_group_id === efa ? "self" : r.referenced_security_group_id === vpce ? "vpcEndpoints" : r.prefix_list_id ? "prefix-list" : String(r.cidr_ipv4)}`;
    const rules = [
      ...resourceList(prodJson, "aws_vpc_security_group_ingress_rule")
        .filter((r) => r.security_group_id === efa)
        .map((r) => describe(r, "in")),
      ...resourceList(prodJson, "aws_vpc_security_group_egress_rule")
        .filter((r) => r.security_group_id === efa)
        .map((r) => describe(r, "out")),
    ];
    expect(rules.sort()).toEqual(["in -1 self", "out -1 self", "out tcp 443 prefix-list", "out tcp 443 vpcEndpoints"]);
  });

  it("staging: a small cluster; dev: none", () => {
    expect(resourceList(json(staging), "aws_launch_template").map((l) => l.instance_type)).toEqual(["g5.48xlarge"]);
    expect(resourceList(json(dev), "aws_launch_template")).toHaveLength(0);
    expect(resourceList(json(dev), "aws_security_group").map((g) => g.name)).not.toContain("ml-dev-efa");
    expect(resourceList(json(staging), "aws_security_group").map((g) => g.name)).toContain("ml-staging-efa");
  });

  // Provider default_tags never reach what an auto scaling group launches.
  it.each(ENVIRONMENTS.filter((e) => Object.keys(e.efaClusters ?? {}).length > 0).map((e) => [e.name]))(
    "%s: every node, volume and interface carries the five required tags",
    (name) => {
      const env = ENVIRONMENTS.find((e) => e.name === name)!;
      const required = Object.fromEntries(REQUIRED_TAGS.map((t) => [t, env.tags[t]]));
      const [t] = resourceList(json(env), "aws_launch_template");
      for (const spec of t.tag_specifications as { tags: Record<string, string> }[]) expect(spec.tags).toMatchObject(required);
      const asgTags = resourceList(json(env), "aws_autoscaling_group")[0].tag as { key: string; value: string; propagate_at_launch: boolean }[];
      for (const [key, value] of Object.entries(required)) expect(asgTags).toContainEqual({ key, value, propagate_at_launch: true });
    },
  );

  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s: no launch template with several interfaces sets associate_public_ip_address", (name) => {
    for (const t of resourceList(environmentJson(name), "aws_launch_template")) {
      const nics = t.network_interfaces as Nic[];
      if (nics.length > 1) for (const n of nics) expect(n.associate_public_ip_address).toBeUndefined();
    }
  });

  it("rejects a cluster the environment cannot place", () => {
    const bad: EnvironmentConfig = {
      ...prod,
      efaClusters: { llm: { instanceType: "p5.48xlarge", availabilityZone: "us-east-1c", nodes: { max: 2 }, ami: AMI } },
    };
    try {
      resolveEnvironment(bad);
      throw new Error("expected an error");
    } catch (err) {
      expect(err).toBeInstanceOf(EnvironmentConfigError);
      expect((err as EnvironmentConfigError).errors[0].issues[0]).toMatchObject({
        path: "efaClusters.llm.availabilityZone",
        message: expect.stringMatching(/no training subnet/),
      });
    }
  });
});
