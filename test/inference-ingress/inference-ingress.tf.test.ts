/**
 * `terraform validate` with the real hashicorp/aws provider on a stack that
 * uses every option of InferenceLoadBalancer: an internet-facing ALB with
 * the ALB options, an internal NLB with the NLB options, in one VPC beside
 * SegmentedSecurityGroups. Part of the Terraform suites (npm run
 * test:terraform); skips, saying why, without terraform or a plugin.
 *
 * INFERENCE_TF_JSON=<file> also writes the stack's JSON there, for
 * `node scripts/tf-validate.js <file>`.
 */
import * as fs from "fs";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MlVpc } from "../../modules/network";
import { SegmentedSecurityGroups } from "../../modules/security-groups";
import { InferenceLoadBalancer } from "../../modules/inference-ingress";

const CERT = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012";

/** Every option: the ALB's, the NLB's, listeners, callers, logs, health check, tags. */
function everyOptionStack(): string {
  const stack = new TerraformStack(Testing.app(), "inference");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const network = new MlVpc(stack, "network", {
    name: "ml-infer",
    cidr: "10.150.0.0/16",
    region: "us-east-1",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    tiers: { public: { prefixLength: 24 }, private: { prefixLength: 20 } },
    flowLogs: { destination: "none" },
  });
  const groups = new SegmentedSecurityGroups(stack, "security-groups", {
    network,
    inference: { servingPorts: [8080, 9000, 8081] },
    prefixListIds: { s3: "pl-63a5400a", dynamodb: "pl-02cd2c6b" },
  });
  new InferenceLoadBalancer(stack, "public-alb", {
    network,
    inferenceSecurityGroupId: groups.ids.inference,
    type: "application",
    scheme: "internet-facing",
    internetFacingReason: "partner-facing demo API, rate-limited upstream",
    name: "ml-infer-public",
    certificateArn: CERT,
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    servingPort: 8080,
    targetTls: true,
    listeners: { https: { port: 443 } },
    deletionProtection: true,
    accessLogs: { bucket: "acme-ml-lb-logs", prefix: "inference/public" },
    healthCheck: { path: "/health", port: 8081, matcher: "200-299" },
    desyncMitigationMode: "strictest",
    idleTimeoutSeconds: 300,
    tags: { Team: "ml" },
  });
  new InferenceLoadBalancer(stack, "internal-nlb", {
    network,
    inferenceSecurityGroupId: groups.ids.inference,
    type: "network",
    scheme: "internal",
    name: "ml-infer-nlb",
    certificateArn: CERT,
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2027-01",
    unlistedSslPolicyReason: "a newer AWS TLS 1.2+ policy, checked against the AWS table",
    listeners: { https: { port: 443 }, grpc: { port: 8443, targetPort: 9000 } },
    callerCidrs: ["10.150.0.0/16", "172.16.0.0/16"],
    callerGroups: { notebook: groups.ids.notebook },
    accessLogs: { bucket: "acme-ml-lb-logs" },
    crossZoneLoadBalancing: false,
    tags: { Team: "ml" },
  });
  return JSON.stringify(stack.toTerraform());
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require("../../scripts/tf-validate.js") as {
  findPlugin: () => { dir: string; version: string } | undefined;
  terraformAvailable: () => boolean;
  validateStacks: (stacks: Record<string, string>) => Promise<{
    results: { name: string; valid: boolean; diagnostics: { severity: string; summary: string; detail: string; address?: string }[] }[];
  }>;
};

const plugin = tf.findPlugin();
const reason = !tf.terraformAvailable() ? "no terraform binary on PATH" : !plugin ? "no hashicorp/aws plugin directory found (set TF_PLUGIN_DIR)" : undefined;

if (reason) {
  console.warn(`InferenceLoadBalancer terraform validate skipped: ${reason}`);
  it.skip(`an every-option inference stack is valid Terraform (skipped: ${reason})`, () => undefined);
} else {
  it("an every-option inference stack is valid Terraform for the real provider", async () => {
    const text = everyOptionStack();
    if (process.env.INFERENCE_TF_JSON) fs.writeFileSync(process.env.INFERENCE_TF_JSON, text);
    const { results } = await tf.validateStacks({ inference: text });
    expect(results[0].diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(results[0].valid).toBe(true);
  });
}
