/**
 * `terraform validate` with the real hashicorp/aws provider (offline, from a
 * local plugin directory) on a stack that uses every option of
 * DirectConnectGateway: a new gateway with a name and a 32-bit ASN, wider
 * allowed prefixes, propagation, beside a SiteToSiteVpn on the same virtual
 * private gateway; and an existing gateway associated with an existing VPC's
 * gateway. Skips, saying why, without terraform or a plugin.
 */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MlVpc } from "../../modules/network";
import { SiteToSiteVpn } from "../../modules/vpn";
import { DirectConnectGateway } from "../../modules/direct-connect";
import { existingNetwork } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = require("../../scripts/tf-validate.js") as {
  findPlugin: () => { dir: string; version: string } | undefined;
  terraformAvailable: () => boolean;
  validateStacks: (stacks: Record<string, string>) => Promise<{
    results: { name: string; valid: boolean; diagnostics: { severity: string; summary: string; detail: string; address?: string }[] }[];
  }>;
};

/** Every option of the module, in one stack. */
function directConnectStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "direct-connect");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const network = new MlVpc(stack, "network", {
    name: "dx-test",
    cidr: "10.60.0.0/16",
    secondaryCidrs: ["10.61.0.0/16"],
    region: "us-east-1",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    tiers: { private: { prefixLength: 20 }, isolated: { prefixLength: 24 } },
    nat: "none",
    flowLogs: { destination: "none" },
  });
  const vpn = new SiteToSiteVpn(stack, "vpn", {
    network,
    onPremisesCidrs: ["172.16.0.0/16"],
    propagateToTiers: ["private"],
    customerGateways: { dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010 } },
  });
  new DirectConnectGateway(stack, "dx", {
    network,
    virtualPrivateGatewayId: vpn.vpnGateway.id,
    gateway: { create: { name: "dx-test-primary", amazonSideAsn: 4200000010 } },
    allowedPrefixes: ["10.60.0.0/15"],
    propagateToTiers: ["isolated"],
  });
  new DirectConnectGateway(stack, "dx-shared", {
    network: existingNetwork({ name: "legacy", vpcId: "vpc-0fedcba9876543210", vpcCidrs: ["10.0.0.0/16"] }),
    virtualPrivateGatewayId: "vgw-0123456789abcdef0",
    gateway: { existingId: "abcd1234-dcba-5678-be23-cdef9876ab45" },
    propagateToTiers: ["private"],
  });
  return stack;
}

const plugin = tf.findPlugin();
const reason = !tf.terraformAvailable() ? "no terraform binary on PATH" : !plugin ? "no hashicorp/aws plugin directory found (set TF_PLUGIN_DIR)" : undefined;

(reason ? describe.skip : describe)(`DirectConnectGateway with the real provider${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("terraform validate accepts a stack with every option", async () => {
    const { results } = await tf.validateStacks({ "direct-connect": JSON.stringify(directConnectStack().toTerraform()) });
    expect(results.map((r) => ({ name: r.name, valid: r.valid, diagnostics: r.diagnostics }))).toEqual([
      { name: "direct-connect", valid: true, diagnostics: [] },
    ]);
  });
});
