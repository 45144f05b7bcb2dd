import { Testing } from "cdktf";
import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { CONFIG_RULES, ConfigDriftRules, type GovernanceConfig } from "../../modules/governance";
import { ENVIRONMENTS, resolveEnvironment } from "../../environments";
import { environmentJson, resourceList, type TfJson, configIssues } from "../helpers";

const synth = (config: GovernanceConfig): { text: string; json: TfJson } => {
  const text = Testing.synthScope((scope) => new ConfigDriftRules(scope, "governance", { name: "ml-test", ...config }));
  return { text, json: JSON.parse(text) as TfJson };
};
const identifiers = (json: TfJson) =>
  resourceList(json, "aws_config_config_rule")
    .map((r) => (r.source as { source_identifier: string }).source_identifier)
    .sort();

describe("ConfigDriftRules", () => {
  it("creates the managed drift rules the issue lists, on the account's recorder by default", () => {
    const { text, json } = synth({});
    expect(identifiers(json)).toEqual(
      [
        "VPC_FLOW_LOGS_ENABLED",
        "VPC_DEFAULT_SECURITY_GROUP_CLOSED",
        "SAGEMAKER_NOTEBOOK_INSTANCE_INSIDE_VPC",
        "SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS",
        "SAGEMAKER_NOTEBOOK_INSTANCE_ROOT_ACCESS_CHECK",
        "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED",
        "SAGEMAKER_DOMAIN_IN_VPC",
        "INCOMING_SSH_DISABLED",
        "RESTRICTED_INCOMING_TRAFFIC",
        "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED",
        "EC2_INSTANCE_NO_PUBLIC_IP",
        "EC2_IMDSV2_CHECK",
        "VPC_VPN_2_TUNNELS_UP",
      ].sort(),
    );
    expect(text).toHaveResourceWithProperties(ConfigConfigRule, {
      name: "ml-test-vpc-flow-logs-enabled",
      source: { owner: "AWS", source_identifier: "VPC_FLOW_LOGS_ENABLED" },
    });
    expect(resourceList(json, "aws_config_configuration_recorder")).toHaveLength(0);
  });

  it("can create the recorder, its role and delivery channel, with the rules after the recorder", () => {
    const { json } = synth({ recorder: { create: true, deliveryBucketName: "acme-config" } });
    const [recorder] = resourceList(json, "aws_config_configuration_recorder");
    expect(recorder).toMatchObject({ name: "ml-test-recorder", recording_group: { all_supported: true } });
    expect(resourceList(json, "aws_config_delivery_channel")).toEqual([expect.objectContaining({ s3_bucket_name: "acme-config" })]);
    expect(resourceList(json, "aws_config_configuration_recorder_status")).toEqual([expect.objectContaining({ is_enabled: true })]);
    expect(resourceList(json, "aws_iam_role_policy_attachment")[0].policy_arn).toMatch(/service-role\/AWS_ConfigRole$/);
    for (const rule of resourceList(json, "aws_config_config_rule"))
      expect(rule.depends_on).toEqual([expect.stringMatching(/^aws_config_configuration_recorder\./)]);
  });

  it("leaves out excluded rules, or all when disabled", () => {
    expect(identifiers(synth({ exclude: ["vpn-tunnels-up"] }).json)).not.toContain("VPC_VPN_2_TUNNELS_UP");
    expect(resourceList(synth({ enabled: false }).json, "aws_config_config_rule")).toHaveLength(0);
  });

  it("rejects a recorder without a delivery bucket and unknown rule names", () => {
    const issues = (config: GovernanceConfig) => configIssues(() => synth(config));
    expect(issues({ recorder: { create: true } })[0]).toMatchObject({ path: "recorder.deliveryBucketName" });
    expect(issues({ exclude: ["flow-logs"] })[0]).toMatchObject({ path: "exclude[0]", fix: expect.stringMatching(/vpc-flow-logs-enabled/) });
  });

  it("fails synth for a rule AWS does not offer in the stack's region, until it is excluded", () => {
    const inZurich = (config: GovernanceConfig) =>
      Testing.synthScope((scope) => new ConfigDriftRules(scope, "governance", { name: "ml-test", region: "eu-central-2", ...config }));
    expect(configIssues(() => inZurich({}))).toEqual([
      expect.objectContaining({
        path: "exclude",
        message: expect.stringContaining("SAGEMAKER_DOMAIN_IN_VPC in eu-central-2"),
        fix: 'add "sagemaker-domain-in-vpc" to exclude',
      }),
    ]);
    const rules = resourceList(JSON.parse(inZurich({ exclude: ["sagemaker-domain-in-vpc"] })), "aws_config_config_rule");
    expect(rules).toHaveLength(Object.keys(CONFIG_RULES).length - 1);
    expect(() => synth({})).not.toThrow(); // no region given: not checked
  });

  it("is on in staging and prod, off in dev", () => {
    expect(resourceList(environmentJson("dev"), "aws_config_config_rule")).toHaveLength(0);
    for (const env of ["staging", "prod"]) expect(resourceList(environmentJson(env), "aws_config_config_rule")).toHaveLength(Object.keys(CONFIG_RULES).length);
  });

  it.each(ENVIRONMENTS.map((e) => [e.name, e] as const))(
    "%s: one AWS Config rule per managed rule not excluded when governance is on, none when off",
    (name, env) => {
      const governance = resolveEnvironment(env).governance;
      const expected = governance?.enabled ? Object.keys(CONFIG_RULES).length - governance.exclude.length : 0;
      expect(resourceList(environmentJson(name), "aws_config_config_rule")).toHaveLength(expected);
    },
  );
});
