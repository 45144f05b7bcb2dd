#!/usr/bin/env node
/**
 * The AWS CDK comparison for `npm run bench`: three VPC stacks in plain
 * JavaScript, comparable to this project's dev, staging and prod networks,
 * synthesized with `app.synth()`. The benchmark times `node app.js` as a whole
 * process, as a user of AWS CDK waits for it (without the `cdk` CLI).
 *
 * Per stack: four subnet tiers (public /24, private /20 with NAT egress,
 * isolated /24, training /20) over two or three AZs; one NAT gateway or one
 * per AZ; flow logs (all traffic) to a CloudWatch log group encrypted with a
 * KMS key of its own (rotation on) through an IAM role; S3 and DynamoDB
 * gateway endpoints; interface endpoints with private DNS; security groups for
 * the endpoints, notebooks, training and inference.
 *
 *   node app.js [outdir]        (default: cdk.out beside this file)
 */
const path = require("path");
const { App, Stack, Tags, RemovalPolicy } = require("aws-cdk-lib");
const ec2 = require("aws-cdk-lib/aws-ec2");
const iam = require("aws-cdk-lib/aws-iam");
const kms = require("aws-cdk-lib/aws-kms");
const logs = require("aws-cdk-lib/aws-logs");

/** The interface endpoints of the environments, as in environments/*.ts. */
const ESSENTIAL_ENDPOINTS = ["SAGEMAKER_API", "SAGEMAKER_RUNTIME", "ECR", "ECR_DOCKER", "CLOUDWATCH_LOGS", "STS"];
const STAGING_ENDPOINTS = [...ESSENTIAL_ENDPOINTS, "CLOUDWATCH_MONITORING", "KMS", "SSM", "SSM_MESSAGES", "EC2_MESSAGES"];

const ENVIRONMENTS = [
  {
    name: "dev",
    cidr: "10.10.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    natGateways: 1,
    retention: logs.RetentionDays.ONE_MONTH,
    interfaceEndpoints: [...ESSENTIAL_ENDPOINTS, "REKOGNITION"],
  },
  {
    name: "staging",
    cidr: "10.20.0.0/16",
    azs: ["us-east-1a", "us-east-1b"],
    natGateways: 2,
    retention: logs.RetentionDays.THREE_MONTHS,
    interfaceEndpoints: STAGING_ENDPOINTS,
  },
  {
    name: "prod",
    cidr: "10.30.0.0/16",
    azs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    natGateways: 3,
    retention: logs.RetentionDays.ONE_YEAR,
    interfaceEndpoints: [...STAGING_ENDPOINTS, "REKOGNITION", "SAGEMAKER_NOTEBOOK"],
  },
];

class MlNetworkStack extends Stack {
  constructor(scope, env) {
    super(scope, `ml-${env.name}`, { env: { account: "111122223333", region: "us-east-1" } });
    Tags.of(this).add("Environment", env.name);
    Tags.of(this).add("Project", "ml-platform");
    Tags.of(this).add("Owner", "ml-platform-team@example.com");
    Tags.of(this).add("CostCenter", "CC-4200");

    const vpc = new ec2.Vpc(this, "Vpc", {
      ipAddresses: ec2.IpAddresses.cidr(env.cidr),
      availabilityZones: env.azs,
      natGateways: env.natGateways,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: "isolated", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        { name: "training", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
      ],
      gatewayEndpoints: {
        s3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        dynamodb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });

    // Flow logs: all traffic to a KMS-encrypted log group through a role only VPC Flow Logs can assume.
    const key = new kms.Key(this, "FlowLogKey", { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("logs.us-east-1.amazonaws.com")],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
      }),
    );
    const logGroup = new logs.LogGroup(this, "FlowLogs", { retention: env.retention, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
    const role = new iam.Role(this, "FlowLogRole", { assumedBy: new iam.ServicePrincipal("vpc-flow-logs.amazonaws.com") });
    vpc.addFlowLog("FlowLog", {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    // Security groups: endpoints admit HTTPS from the VPC; notebooks call inference; training talks to itself.
    const endpoints = new ec2.SecurityGroup(this, "Endpoints", { vpc, description: "interface endpoints", allowAllOutbound: false });
    endpoints.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), "HTTPS from the VPC");
    const notebook = new ec2.SecurityGroup(this, "Notebook", { vpc, description: "notebooks", allowAllOutbound: false });
    const training = new ec2.SecurityGroup(this, "Training", { vpc, description: "training", allowAllOutbound: false });
    const inference = new ec2.SecurityGroup(this, "Inference", { vpc, description: "inference", allowAllOutbound: false });
    for (const group of [notebook, training, inference]) group.addEgressRule(endpoints, ec2.Port.tcp(443), "AWS APIs through endpoints");
    notebook.addEgressRule(inference, ec2.Port.tcp(443), "notebooks call inference");
    inference.addIngressRule(notebook, ec2.Port.tcp(443), "from notebooks");
    training.addIngressRule(training, ec2.Port.allTraffic(), "EFA and NCCL between nodes");
    training.addEgressRule(training, ec2.Port.allTraffic(), "EFA and NCCL between nodes");

    for (const service of env.interfaceEndpoints) {
      vpc.addInterfaceEndpoint(service, {
        service: ec2.InterfaceVpcEndpointAwsService[service],
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [endpoints],
        privateDnsEnabled: true,
      });
    }
  }
}

const app = new App({ outdir: process.argv[2] || path.join(__dirname, "cdk.out") });
for (const env of ENVIRONMENTS) new MlNetworkStack(app, env);
app.synth();
