import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { baseProps, byPath, ref, resourceList, synthVpc } from "../helpers";

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
};
const statements = (policy: unknown) => (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;

describe("Flow logs (default: CloudWatch Logs)", () => {
  const { text, json } = synthVpc(baseProps());
  const logGroup = byPath(json, "aws_cloudwatch_log_group", "network/flow-logs/log-group");
  const key = byPath(json, "aws_kms_key", "network/flow-logs/key");
  const role = byPath(json, "aws_iam_role", "network/flow-logs/role");

  it("logs ALL traffic of the VPC to the log group through the role, every 600 s by default", () => {
    const vpc = resourceList(json, "aws_vpc");
    expect(vpc).toHaveLength(1);
    expect(text).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: ref("aws_cloudwatch_log_group", logGroup.name, "arn"),
      iam_role_arn: ref("aws_iam_role", role.name, "arn"),
      max_aggregation_interval: 600,
    });
  });

  it("keeps logs 90 days by default, encrypted with a rotating KMS key of their own", () => {
    expect(logGroup.body).toMatchObject({
      name: "/ml-network/ml-test/vpc-flow-logs",
      retention_in_days: 90,
      kms_key_id: ref("aws_kms_key", key.name, "arn"),
    });
    expect(text).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  it("lets CloudWatch Logs use the key for this log group only", () => {
    const logs = statements(key.body.policy).find((s) => s.Principal?.Service?.startsWith("logs."))!;
    expect(logs.Condition!.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toMatch(/:log-group:\/ml-network\/ml-test\/vpc-flow-logs$/);
  });

  it("gives the role what the VPC user guide requires, writing to that one log group only", () => {
    const [policy] = resourceList(json, "aws_iam_role_policy");
    expect(policy.role).toBe(ref("aws_iam_role", role.name));
    const stmts = statements(policy.policy);
    expect(stmts.every((s) => s.Effect === "Allow")).toBe(true);
    const actions = stmts.flatMap((s) => [s.Action].flat());
    // The guide's minimum (flow-logs-iam-role.html), except CreateLogGroup: Terraform creates the group.
    expect(actions.sort()).toEqual(["logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    const arn = ref("aws_cloudwatch_log_group", logGroup.name, "arn");
    const write = stmts.find((s) => [s.Action].flat().includes("logs:PutLogEvents"))!;
    expect(write.Resource).toEqual([arn, `${arn}:*`]);
    expect([write.Action].flat()).toContain("logs:CreateLogStream");
    // The list call is matched against log-group:*, of this account and region only.
    const find = stmts.find((s) => [s.Action].flat().includes("logs:DescribeLogGroups"))!;
    expect(find.Resource).toMatch(/^arn:\$\{data\.aws_partition\..+\}:logs:\$\{data\.aws_region\..+\}:\$\{data\.aws_caller_identity\..+\}:log-group:\*$/);
  });

  it("lets only VPC Flow Logs of this account assume the role", () => {
    const [trust] = statements(role.body.assume_role_policy);
    expect(trust.Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    expect(trust.Condition!.StringEquals["aws:SourceAccount"]).toMatch(/aws_caller_identity/);
    expect(text).toHaveDataSource(DataAwsCallerIdentity);
    expect(text).toHaveResource(IamRole);
  });

  it("honours retention, aggregation, a given KMS key and a custom log group name", () => {
    const custom = synthVpc(
      baseProps({
        flowLogs: {
          retentionDays: 365,
          maxAggregationIntervalSeconds: 60,
          kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          logGroupName: "/acme/flow",
        },
      }),
    );
    expect(custom.text).not.toHaveResource(KmsKey);
    expect(custom.text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/acme/flow",
      retention_in_days: 365,
      kms_key_id: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    expect(custom.text).toHaveResourceWithProperties(FlowLog, { max_aggregation_interval: 60 });
  });
});

describe("Flow logs to S3 and opting out", () => {
  it("delivers to a log-archive bucket in Parquet with hourly Hive partitions", () => {
    const { text } = synthVpc(baseProps({ flowLogs: { destination: "s3", s3BucketArn: "arn:aws:s3:::acme-flow-logs/ml" } }));
    expect(text).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "s3",
      log_destination: "arn:aws:s3:::acme-flow-logs/ml",
      destination_options: { file_format: "parquet", hive_compatible_partitions: true, per_hour_partition: true },
    });
    expect(text).not.toHaveResource(CloudwatchLogGroup);
    expect(text).not.toHaveResource(IamRole);
  });

  it('creates no flow log only with the explicit destination "none"', () => {
    const { text } = synthVpc(baseProps({ flowLogs: { destination: "none" } }));
    expect(text).not.toHaveResource(FlowLog);
    expect(synthVpc(baseProps({ flowLogs: {} })).text).toHaveResource(FlowLog);
  });
});
