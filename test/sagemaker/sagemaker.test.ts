import { Testing } from "cdktf";
import { SagemakerDomain } from "@cdktf/provider-aws/lib/sagemaker-domain";
import { SagemakerNotebookInstance } from "@cdktf/provider-aws/lib/sagemaker-notebook-instance";
import { MlVpc } from "../../modules/network";
import { SAGEMAKER_CONDITION_KEYS, SageMakerWorkspace, sagemakerGuardrailPolicy, type SageMakerConfig } from "../../modules/sagemaker";
import { evaluate } from "../policy-eval";
import { SegmentedSecurityGroups } from "../../modules/security-groups";
import { ENVIRONMENTS } from "../../environments";
import { baseProps, byPath, ref, resourceList, resources, type TfJson, environmentJson, configIssues } from "../helpers";

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> };
const statements = (policy: unknown) => (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;

function synthWorkspace(config: SageMakerConfig): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
    const sg = new SegmentedSecurityGroups(scope, "sg", { network });
    new SageMakerWorkspace(scope, "sagemaker", {
      network,
      securityGroupIds: { notebook: sg.ids.notebook, training: sg.ids.training, inference: sg.ids.inference },
      ...config,
    });
  });
  return { text, json: JSON.parse(text) as TfJson };
}

describe("SageMakerWorkspace", () => {
  const { text, json } = synthWorkspace({ notebooks: { research: {} }, domain: {}, s3BucketArns: ["arn:aws:s3:::acme-ml-data"] });
  const notebook = byPath(json, "aws_sagemaker_notebook_instance", "sagemaker/notebook-research").body;

  it("puts the notebook in a private subnet with the notebook group, no internet, no root, KMS, IMDSv2", () => {
    expect(notebook).toMatchObject({
      subnet_id: ref("aws_subnet", byPath(json, "aws_subnet", "network/subnet-private-us-east-1a").name),
      security_groups: [ref("aws_security_group", byPath(json, "aws_security_group", "sg/notebook").name)],
      direct_internet_access: "Disabled",
      root_access: "Disabled",
      kms_key_id: ref("aws_kms_key", byPath(json, "aws_kms_key", "sagemaker/key").name, "arn"),
      instance_metadata_service_configuration: { minimum_instance_metadata_service_version: "2" },
    });
    expect(text).toHaveResourceWithProperties(SagemakerNotebookInstance, { instance_type: "ml.t3.medium", volume_size: 50 });
  });

  it("creates a Studio domain in VpcOnly mode on private subnets", () => {
    expect(text).toHaveResourceWithProperties(SagemakerDomain, { app_network_access_type: "VpcOnly", auth_mode: "IAM" });
    const domain = resourceList(json, "aws_sagemaker_domain")[0];
    const privateSubnets = ["us-east-1a", "us-east-1b"].map((az) => ref("aws_subnet", byPath(json, "aws_subnet", `network/subnet-private-${az}`).name));
    expect(domain.subnet_ids).toEqual(privateSubnets);
  });

  it("gives the execution role least privilege: no wildcard actions, PassRole only of itself to SageMaker, only the named buckets", () => {
    const policy = statements(resourceList(json, "aws_iam_role_policy")[0].policy);
    for (const s of policy) {
      const actions = ([] as string[]).concat(s.Action);
      expect(actions.filter((a) => a === "*" || a.endsWith(":*"))).toEqual([]);
    }
    const pass = policy.find((s) => s.Sid === "PassOnlyThisRoleToSageMaker")!;
    expect(pass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } });
    expect(pass.Resource).toBe(ref("aws_iam_role", byPath(json, "aws_iam_role", "sagemaker/execution-role").name, "arn"));
    expect(policy.find((s) => s.Sid === "ReadWriteDataBuckets")!.Resource).toEqual(["arn:aws:s3:::acme-ml-data/*"]);
    const noBuckets = statements(resourceList(synthWorkspace({}).json, "aws_iam_role_policy")[0].policy);
    expect(noBuckets.some((s) => ([] as string[]).concat(s.Action).some((a) => a.startsWith("s3:")))).toBe(false);
  });

  it("attaches the guardrail policy to the execution role", () => {
    const guardrail = byPath(json, "aws_iam_policy", "sagemaker/guardrail-policy").name;
    expect(resourceList(json, "aws_iam_role_policy_attachment")).toEqual([expect.objectContaining({ policy_arn: ref("aws_iam_policy", guardrail, "arn") })]);
  });

  it("exposes the training and inference VpcConfig", () => {
    Testing.synthScope((scope) => {
      const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
      const ws = new SageMakerWorkspace(scope, "sagemaker", { network, securityGroupIds: { notebook: "sg-n", training: "sg-t", inference: "sg-i" } });
      expect(ws.trainingVpcConfig).toEqual({ Subnets: network.selectSubnets({ tiers: ["training"] }).subnetIds, SecurityGroupIds: ["sg-t"] });
      expect(ws.inferenceVpcConfig).toEqual({ Subnets: network.selectSubnets({ tiers: ["private"] }).subnetIds, SecurityGroupIds: ["sg-i"] });
    });
  });
});

describe("the guardrail policy", () => {
  const doc = sagemakerGuardrailPolicy({ requireNetworkIsolation: false });
  const strict = sagemakerGuardrailPolicy({ requireNetworkIsolation: true });
  const denied = (d: typeof doc, key: string) => d.Statement.filter((s) => s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes(key));

  it("is deny-only", () => {
    expect(doc.Statement.every((s) => s.Effect === "Deny")).toBe(true);
  });

  it("denies training, processing, tuning jobs and models without VPC subnets", () => {
    const [vpc] = denied(doc, "sagemaker:VpcSubnets").filter((s) => ([] as string[]).concat(s.Action!).includes("sagemaker:CreateTrainingJob"));
    expect(vpc.Action).toEqual([
      "sagemaker:CreateTrainingJob",
      "sagemaker:CreateProcessingJob",
      "sagemaker:CreateHyperParameterTuningJob",
      "sagemaker:CreateModel",
    ]);
    expect(vpc.Condition).toEqual({ Null: { "sagemaker:VpcSubnets": "true" } });
  });

  it("denies jobs without inter-container traffic encryption, whether false or omitted", () => {
    expect(denied(doc, "sagemaker:InterContainerTrafficEncryption").map((s) => s.Condition)).toEqual([
      { Bool: { "sagemaker:InterContainerTrafficEncryption": "false" } },
      { Null: { "sagemaker:InterContainerTrafficEncryption": "true" } },
    ]);
  });

  it("requires network isolation only where the environment asks for it", () => {
    expect(denied(doc, "sagemaker:NetworkIsolation")).toEqual([]);
    expect(denied(strict, "sagemaker:NetworkIsolation")).toHaveLength(2);
  });

  it("denies notebooks with direct internet or root access, including when left at the Enabled default", () => {
    expect(denied(doc, "sagemaker:DirectInternetAccess").map((s) => s.Condition)).toEqual([
      { StringEquals: { "sagemaker:DirectInternetAccess": "Enabled" } },
      { Null: { "sagemaker:DirectInternetAccess": "true" } },
    ]);
    expect(denied(doc, "sagemaker:RootAccess")).toHaveLength(2);
  });

  // A condition key the action does not support never matches (Service Authorization Reference).
  it.each([
    ["default", doc],
    ["network isolation", strict],
  ] as const)("%s: every condition key is one each action of its statement supports", (_label, d) => {
    for (const st of d.Statement) {
      const keys = Object.values(st.Condition ?? {}).flatMap((c) => Object.keys(c));
      for (const action of ([] as string[]).concat(st.Action!)) {
        const supported: readonly string[] = SAGEMAKER_CONDITION_KEYS[action as keyof typeof SAGEMAKER_CONDITION_KEYS] ?? [];
        for (const key of keys) expect({ sid: st.Sid, action, key, supported: supported.includes(key) }).toEqual({ sid: st.Sid, action, key, supported: true });
      }
    }
  });

  it("decides like IAM: a job without a VPC, a public domain and any domain update are denied; a compliant job is not", () => {
    const text = JSON.stringify(doc);
    const request = (action: string, context: Record<string, string | undefined>) =>
      evaluate(text, { action, resource: "arn:aws:sagemaker:us-east-1:111122223333:x/y", context });
    // A deny-only policy never allows by itself: "implicit deny" means the guardrail lets the request pass.
    expect(request("sagemaker:CreateTrainingJob", { "sagemaker:InterContainerTrafficEncryption": "true" })).toBe("explicit deny");
    expect(request("sagemaker:CreateTrainingJob", { "sagemaker:VpcSubnets": "subnet-1", "sagemaker:InterContainerTrafficEncryption": "true" })).toBe(
      "implicit deny",
    );
    expect(request("sagemaker:CreateDomain", { "sagemaker:AppNetworkAccessType": "PublicInternetOnly" })).toBe("explicit deny");
    expect(request("sagemaker:CreateDomain", { "sagemaker:AppNetworkAccessType": "VpcOnly" })).toBe("implicit deny");
    expect(request("sagemaker:UpdateDomain", {})).toBe("explicit deny");
    expect(request("sagemaker:UpdateNotebookInstance", { "sagemaker:RootAccess": "Disabled" })).toBe("implicit deny");
    expect(request("sagemaker:UpdateNotebookInstance", { "sagemaker:RootAccess": "Enabled" })).toBe("explicit deny");
  });

  it("denies Studio domains outside the VPC at creation (also when omitted), and every domain update (no key guards a switch)", () => {
    expect(denied(doc, "sagemaker:AppNetworkAccessType").map((s) => [s.Action, s.Condition])).toEqual([
      [["sagemaker:CreateDomain"], { StringNotEquals: { "sagemaker:AppNetworkAccessType": "VpcOnly" } }],
    ]);
    expect(doc.Statement.filter((s) => ([] as string[]).concat(s.Action!).includes("sagemaker:UpdateDomain"))).toEqual([
      { Sid: "DenyDomainUpdates", Effect: "Deny", Action: ["sagemaker:UpdateDomain"], Resource: "*" },
    ]);
  });
});

describe("SageMakerWorkspace rejects bad input", () => {
  const issues = (config: SageMakerConfig) => configIssues(() => synthWorkspace(config));
  it("a notebook in a public or isolated tier", () => {
    expect(issues({ notebooks: { x: { tier: "public" } } })[0]).toMatchObject({ path: "notebooks.x.tier", fix: "use the private tier" });
    expect(issues({ notebooks: { x: { tier: "isolated" } } })[0]).toMatchObject({ path: "notebooks.x.tier" });
  });
  it("direct internet access without an explicit opt-in", () => {
    expect(issues({ notebooks: { x: { directInternetAccess: true } } })[0]).toMatchObject({
      path: "notebooks.x.directInternetAccess",
      message: expect.stringMatching(/without an explicit opt-in/),
    });
    expect(issues({ notebooks: { x: { directInternetAccess: true, directInternetAccessReason: "why" } } })[0].path).toBe("notebooks.x.directInternetAccess");
    const optedIn = synthWorkspace({ notebooks: { x: { directInternetAccess: true, directInternetAccessReason: "public datasets for a hackathon" } } });
    expect(resourceList(optedIn.json, "aws_sagemaker_notebook_instance")[0].direct_internet_access).toBe("Enabled");
  });
  it("bad instance types, AZs, buckets and domain tiers", () => {
    expect(issues({ notebooks: { x: { instanceType: "t3.medium" } } })[0].path).toBe("notebooks.x.instanceType");
    expect(issues({ notebooks: { x: { availabilityZone: "us-east-1c" } } })[0].path).toBe("notebooks.x.availabilityZone");
    expect(issues({ s3BucketArns: ["s3://bucket"] })[0].path).toBe("s3BucketArns[0]");
    expect(issues({ domain: { tier: "isolated" } })[0].path).toBe("domain.tier");
  });
  it("a notebook type AWS added later: named in additionalNotebookInstanceTypes, shape-checked, and the fix says so", () => {
    expect(issues({ notebooks: { x: { instanceType: "ml.g7.xlarge" } } })[0]).toMatchObject({
      path: "notebooks.x.instanceType",
      fix: expect.stringMatching(/goes in additionalNotebookInstanceTypes/),
    });
    const added = synthWorkspace({ additionalNotebookInstanceTypes: ["ml.g7.xlarge"], notebooks: { x: { instanceType: "ml.g7.xlarge" } } });
    expect(resourceList(added.json, "aws_sagemaker_notebook_instance")[0].instance_type).toBe("ml.g7.xlarge");
    expect(issues({ additionalNotebookInstanceTypes: ["g7.xlarge", "ml.t3.medium"] }).map((i) => `${i.path}: ${i.message}`)).toEqual([
      "additionalNotebookInstanceTypes[0]: is not a SageMaker instance type name",
      "additionalNotebookInstanceTypes[1]: is already a built-in notebook instance type",
    ]);
  });
});

describe("SageMaker in the environments", () => {
  const synthesized = ENVIRONMENTS.map((e) => [e.name, environmentJson(e.name)] as const);

  it.each(synthesized.map(([n]) => [n]))("%s: every notebook has direct internet and root access disabled and sits in a private subnet", (name) => {
    const json = synthesized.find(([n]) => n === name)![1];
    const notebooks = resourceList(json, "aws_sagemaker_notebook_instance");
    expect(notebooks.length).toBeGreaterThan(0);
    const subnets = resources(json, "aws_subnet");
    for (const nb of notebooks) {
      expect(nb).toMatchObject({ direct_internet_access: "Disabled", root_access: "Disabled" });
      const subnet = subnets[/aws_subnet\.([^.]+)\.id/.exec(nb.subnet_id as string)![1]];
      expect((subnet.tags as Record<string, string>).Tier).toBe("private");
    }
  });

  it.each(synthesized.map(([n]) => [n]))("%s: outputs the training and inference VpcConfig for the SageMaker SDK", (name) => {
    const json = synthesized.find(([n]) => n === name)![1];
    const training = json.output!.sagemaker_training_vpc_config.value as { Subnets: string[]; SecurityGroupIds: string[] };
    const inference = json.output!.sagemaker_inference_vpc_config.value as { Subnets: string[]; SecurityGroupIds: string[] };
    const tierOf = (id: string) => (resources(json, "aws_subnet")[/aws_subnet\.([^.]+)\.id/.exec(id)![1]].tags as Record<string, string>).Tier;
    expect(training.Subnets.map(tierOf).every((t) => t === "training")).toBe(true);
    expect(inference.Subnets.map(tierOf).every((t) => t === "private")).toBe(true);
    expect(training.SecurityGroupIds).toEqual([ref("aws_security_group", byPath(json, "aws_security_group", "security-groups/training").name)]);
    expect(inference.SecurityGroupIds).toEqual([ref("aws_security_group", byPath(json, "aws_security_group", "security-groups/inference").name)]);
  });

  it("prod has the Studio domain and a guardrail policy that requires network isolation", () => {
    const prod = synthesized.find(([n]) => n === "prod")![1];
    expect(resourceList(prod, "aws_sagemaker_domain")).toHaveLength(1);
    const guardrail = statements(resourceList(prod, "aws_iam_policy")[0].policy);
    expect(guardrail.some((s) => JSON.stringify(s.Condition ?? {}).includes("sagemaker:NetworkIsolation"))).toBe(true);
  });
});
