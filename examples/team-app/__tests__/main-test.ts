// Types of cdktf's matchers and of the network matchers (jest.config.js registers them).
import "ml-network-cdktf/testing";
import { Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointSubnetAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-subnet-association";
import { ConfigError } from "ml-network-cdktf";
import { LEGACY_VPC, LegacyVpcStack, TeamNetworkStack } from "../main";

describe("the team network", () => {
  const stack = new TeamNetworkStack(Testing.app(), "team-ml");

  it("has the VPC and the S3 gateway endpoint", () => {
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(Vpc, { cidr_block: "10.80.0.0/16" });
    expect(synthesized).toHaveResourceWithProperties(VpcEndpoint, { vpc_endpoint_type: "Gateway", service_name: "com.amazonaws.eu-west-1.s3" });
  });

  it("keeps AWS traffic on endpoints and the data tier off the internet", () => {
    expect(stack).toReach("private", "s3", { via: "gateway endpoint" });
    expect(stack).toReach("private", "sagemaker.api", { via: "interface endpoint" });
    expect(stack).toReach("private", "internet", { via: "nat" });
    expect(stack).not.toReach("isolated", "internet");
    expect(stack).not.toReach("internet", "private");
  });

  it("lets notebooks reach the data stores and nothing reach notebooks on SSH", () => {
    expect(stack).toAllowFlow("notebook", "data", 5432);
    expect(stack).not.toAllowFlow("training", "notebook", 22);
  });

  it("passes the compliance pack, and synth validations", () => {
    expect(stack).toPassCompliance();
    expect(() => stack.runAllValidations()).not.toThrow();
  });
});

describe("the existing VPC", () => {
  it("gets the groups and interface endpoints, and nothing on its route tables", () => {
    const stack = new LegacyVpcStack(Testing.app(), "team-legacy");
    expect(stack).toPassCompliance();
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(VpcEndpoint, { service_name: "com.amazonaws.eu-west-1.sts", private_dns_enabled: true });
    for (const subnet of LEGACY_VPC.subnets) {
      expect(synthesized).toHaveResourceWithProperties(VpcEndpointSubnetAssociation, { subnet_id: subnet.id });
    }
    expect(synthesized).not.toHaveResourceWithProperties(VpcEndpoint, { vpc_endpoint_type: "Gateway" });
  });

  it("is checked before anything is placed in it", () => {
    const moved = { ...LEGACY_VPC, subnets: [{ ...LEGACY_VPC.subnets[0], cidr: "10.91.0.0/20" }] };
    expect(() => new LegacyVpcStack(Testing.app(), "bad", moved)).toThrow(ConfigError);
    expect(() => new LegacyVpcStack(Testing.app(), "bad", moved)).toThrow(/network\.subnets\[0\]\.cidr: lies outside the VPC CIDR blocks/);
  });
});
