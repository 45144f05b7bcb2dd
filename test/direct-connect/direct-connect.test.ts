import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { DxGateway } from "@cdktf/provider-aws/lib/dx-gateway";
import { DxGatewayAssociation } from "@cdktf/provider-aws/lib/dx-gateway-association";
import { ConfigError } from "../../modules/core/errors";
import { NAME_RULES } from "../../modules/core/aws-limits";
import { MlVpc, type IMlNetwork } from "../../modules/network";
import { SiteToSiteVpn } from "../../modules/vpn";
import {
  DirectConnectGateway,
  directConnectGatewayConfigSchema,
  validateDirectConnectGateway,
  type DirectConnectGatewayConfig,
  type DirectConnectGatewayProps,
} from "../../modules/direct-connect";
import { allResources, baseProps, byPath, configIssues, existingNetwork, ref, resourceList, type TfJson } from "../helpers";

const VGW = "vgw-0123456789abcdef0";
const DXGW = "abcd1234-dcba-5678-be23-cdef9876ab45";

/** A plain network with private subnets in two AZs and a training subnet, each with its own route table. */
function network(overrides: Partial<IMlNetwork> = {}): IMlNetwork {
  return existingNetwork(overrides, [
    { tier: "private", az: "us-east-1a" },
    { tier: "private", az: "us-east-1b" },
    { tier: "training", az: "us-east-1a" },
  ]);
}

function synth(config: DirectConnectGatewayConfig = {}, over: Partial<DirectConnectGatewayProps> = {}): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    new DirectConnectGateway(scope, "dx", { network: network(), virtualPrivateGatewayId: VGW, ...config, ...over });
  });
  return { text, json: JSON.parse(text) as TfJson };
}

const association = (json: TfJson) => byPath(json, "aws_dx_gateway_association", "dx/association");

describe("DirectConnectGateway", () => {
  const { text, json } = synth();

  it("creates a Direct Connect gateway named after the network, with the default private ASN", () => {
    expect(text).toHaveResourceWithProperties(DxGateway, { name: "ml-test-dx", amazon_side_asn: "64512" });
    expect(resourceList(json, "aws_dx_gateway")).toHaveLength(1);
  });

  it("associates it with the virtual private gateway, allowing the VPC CIDRs", () => {
    const gateway = byPath(json, "aws_dx_gateway", "dx/gateway").name;
    expect(text).toHaveResourceWithProperties(DxGatewayAssociation, {
      dx_gateway_id: ref("aws_dx_gateway", gateway),
      associated_gateway_id: VGW,
      allowed_prefixes: ["10.0.0.0/16"],
    });
  });

  it("propagates no routes by default", () => {
    expect(resourceList(json, "aws_vpn_gateway_route_propagation")).toHaveLength(0);
  });

  it("allows every CIDR of a VPC with secondary CIDRs", () => {
    const text2 = Testing.synthScope((scope) => {
      new DirectConnectGateway(scope, "dx", { network: network({ vpcCidrs: ["10.0.0.0/16", "10.1.0.0/16"] }), virtualPrivateGatewayId: VGW });
    });
    expect(text2).toHaveResourceWithProperties(DxGatewayAssociation, { allowed_prefixes: ["10.0.0.0/16", "10.1.0.0/16"] });
  });

  it("takes a name and a 32-bit private ASN", () => {
    const custom = synth({ gateway: { create: { name: "Corp-DX-1", amazonSideAsn: 4200000001 } } });
    expect(custom.text).toHaveResourceWithProperties(DxGateway, { name: "Corp-DX-1", amazon_side_asn: "4200000001" });
  });

  it("associates an existing gateway by id and creates none", () => {
    const existing = synth({ gateway: { existingId: DXGW } });
    expect(resourceList(existing.json, "aws_dx_gateway")).toHaveLength(0);
    expect(association(existing.json).body).toMatchObject({ dx_gateway_id: DXGW, associated_gateway_id: VGW });
  });

  it("allows prefixes wider than the VPC CIDR", () => {
    const wide = synth({ allowedPrefixes: ["10.0.0.0/15"] });
    expect(association(wide.json).body.allowed_prefixes).toEqual(["10.0.0.0/15"]);
  });

  it("propagates routes into the route tables of the named tiers, after the association", () => {
    const { json: j } = synth({ propagateToTiers: ["private", "training"] });
    const assoc = association(j).name;
    const propagations = resourceList(j, "aws_vpn_gateway_route_propagation");
    expect(propagations.map((p) => p.route_table_id).sort()).toEqual(["rtb-00000000000000001", "rtb-00000000000000002", "rtb-00000000000000003"]);
    for (const p of propagations) expect(p).toMatchObject({ vpn_gateway_id: VGW, depends_on: [`aws_dx_gateway_association.${assoc}`] });
    expect(byPath(j, "aws_vpn_gateway_route_propagation", "dx/propagation-training-us-east-1a").body.route_table_id).toBe("rtb-00000000000000003");
  });

  it("exposes the gateway id, the association and the allowed prefixes", () => {
    Testing.synthScope((scope: Construct) => {
      const dx = new DirectConnectGateway(scope, "dx", { network: network(), virtualPrivateGatewayId: VGW, gateway: { existingId: DXGW } });
      expect(dx.gatewayId).toBe(DXGW);
      expect(dx.gateway).toBeUndefined();
      expect(dx.allowedPrefixes).toEqual(["10.0.0.0/16"]);
      expect(dx.config.propagateToTiers).toEqual([]);
      expect(dx.association).toBeInstanceOf(DxGatewayAssociation);
    });
  });
});

describe("DirectConnectGateway beside SiteToSiteVpn", () => {
  const build = (withDx: boolean) => {
    const text = Testing.synthScope((scope) => {
      const net = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
      const vpn = new SiteToSiteVpn(scope, "vpn", {
        network: net,
        onPremisesCidrs: ["172.16.0.0/16"],
        customerGateways: { dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010 } },
        logs: { kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
      });
      if (withDx) new DirectConnectGateway(scope, "dx", { network: net, virtualPrivateGatewayId: vpn.vpnGateway.id });
    });
    return JSON.parse(text) as TfJson;
  };
  const before = build(false);
  const after = build(true);

  it("associates the VPN's virtual private gateway", () => {
    const vgw = byPath(after, "aws_vpn_gateway", "vpn/vgw").name;
    expect(association(after).body).toMatchObject({ associated_gateway_id: ref("aws_vpn_gateway", vgw), allowed_prefixes: ["10.0.0.0/16"] });
  });

  it("adds the gateway and the association and changes nothing of the VPN: it stays the backup path", () => {
    const old = allResources(before);
    const now = allResources(after);
    for (const [address, body] of old) expect({ address, body: now.get(address) }).toEqual({ address, body });
    expect([...now.keys()].filter((k) => !old.has(k)).sort()).toEqual([
      expect.stringMatching(/^aws_dx_gateway\.dx_gateway_/),
      expect.stringMatching(/^aws_dx_gateway_association\.dx_association_/),
    ]);
  });
});

describe("DirectConnectGateway: adding items changes no existing resource", () => {
  const compare = (beforeJson: TfJson, afterJson: TfJson, changed: readonly string[] = []) => {
    const before = allResources(beforeJson);
    const after = allResources(afterJson);
    for (const [address, body] of before) {
      if (changed.some((c) => address.startsWith(c))) continue;
      expect({ address, body: after.get(address) }).toEqual({ address, body });
    }
    return [...after.keys()].filter((k) => !before.has(k)).sort();
  };

  it("adding a tier to propagate to adds its propagations only", () => {
    const added = compare(synth({ propagateToTiers: ["private"] }).json, synth({ propagateToTiers: ["private", "training"] }).json);
    expect(added).toEqual([expect.stringMatching(/^aws_vpn_gateway_route_propagation\.dx_propagation-training-us-east-1a_/)]);
  });

  it("adding an AZ to the network adds the propagation of its route table only", () => {
    const twoAz = synth({ propagateToTiers: ["private"] }).json;
    const threeAz = JSON.parse(
      Testing.synthScope((scope) => {
        const net = existingNetwork({}, [
          { tier: "private", az: "us-east-1a" },
          { tier: "private", az: "us-east-1b" },
          { tier: "training", az: "us-east-1a" },
          { tier: "private", az: "us-east-1c" },
        ]);
        new DirectConnectGateway(scope, "dx", { network: net, virtualPrivateGatewayId: VGW, propagateToTiers: ["private"] });
      }),
    ) as TfJson;
    expect(compare(twoAz, threeAz)).toEqual([expect.stringMatching(/^aws_vpn_gateway_route_propagation\.dx_propagation-private-us-east-1c_/)]);
  });

  it("adding a VPC CIDR updates the association's allowed prefixes in place (same address) and nothing else", () => {
    const one = synth().json;
    const two = JSON.parse(
      Testing.synthScope((scope) => {
        new DirectConnectGateway(scope, "dx", { network: network({ vpcCidrs: ["10.0.0.0/16", "10.1.0.0/16"] }), virtualPrivateGatewayId: VGW });
      }),
    ) as TfJson;
    const assoc = association(one).name;
    expect(compare(one, two, [`aws_dx_gateway_association.${assoc}`])).toEqual([]);
    expect(association(two)).toEqual({ name: assoc, body: { ...association(one).body, allowed_prefixes: ["10.0.0.0/16", "10.1.0.0/16"] } });
  });
});

describe("DirectConnectGateway rejects bad input", () => {
  const issues = (config: Record<string, unknown>, over: Partial<DirectConnectGatewayProps> = {}) =>
    configIssues(() => synth(config as DirectConnectGatewayConfig, over));
  const only = (config: Record<string, unknown>, over: Partial<DirectConnectGatewayProps> = {}) => {
    const found = issues(config, over);
    expect(found).toHaveLength(1);
    return found[0];
  };

  it("an Amazon-side ASN outside the private ranges", () => {
    for (const asn of [7224, 64511, 65535, 4199999999, 4294967295, 64512.5]) {
      expect(only({ gateway: { create: { amazonSideAsn: asn } } })).toMatchObject({
        path: "gateway.create.amazonSideAsn",
        value: asn,
        message: "is not a private ASN, which the Amazon side of a Direct Connect gateway needs",
        fix: expect.stringMatching(/64512-65534 or 4200000000-4294967294/),
      });
    }
    expect(only({ gateway: { create: { amazonSideAsn: "64512" } } })).toMatchObject({
      path: "gateway.create.amazonSideAsn",
      message: "expected a number, got string",
    });
  });

  it("a gateway name longer than 100 characters or with other characters", () => {
    expect(only({ gateway: { create: { name: "x".repeat(101) } } })).toMatchObject({
      path: "gateway.create.name",
      message: expect.stringMatching(/is 101 characters; a Direct Connect gateway name takes at most 100/),
    });
    expect(only({ gateway: { create: { name: "corp dx" } } })).toMatchObject({
      path: "gateway.create.name",
      message: expect.stringMatching(/characters a Direct Connect gateway name does not allow/),
    });
    expect(only({ gateway: { create: { name: "" } } }).path).toBe("gateway.create.name");
    expect(NAME_RULES.dxGateway.max).toBe(100);
  });

  it("an existing gateway id that is not a Direct Connect gateway id", () => {
    for (const id of ["dxgw-0123456789abcdef0", "vgw-0123456789abcdef0", "abcd1234-dcba-5678-be23"]) {
      expect(only({ gateway: { existingId: id } })).toMatchObject({
        path: "gateway.existingId",
        value: id,
        message: expect.stringMatching(/is not a Direct Connect gateway id/),
      });
    }
  });

  it("a gateway that is both new and existing, or neither, with the other problems", () => {
    expect(issues({ gateway: { create: {}, existingId: "dxgw-1" }, allowedPrefixes: ["10.0.0.0/24"] }).map((i) => [i.path, i.message])).toEqual([
      ["gateway", "sets both create and existingId: a gateway is either created here or an existing one"],
      ["gateway.existingId", expect.stringMatching(/is not a Direct Connect gateway id/)],
      ["allowedPrefixes[0]", expect.stringMatching(/narrower/)],
      ["allowedPrefixes", expect.stringMatching(/leaves the VPC CIDR/)],
    ]);
    // Also when the schema rejects something else: every problem at once.
    expect(issues({ gateway: { create: {}, existingId: DXGW }, propagateToTiers: "private" }).map((i) => i.path)).toEqual(["gateway", "propagateToTiers"]);
    expect(only({ gateway: {} })).toMatchObject({ path: "gateway", message: "names neither create nor existingId", fix: expect.stringMatching(/existingId/) });
    expect(issues({ gateway: { existing: DXGW } })[0]).toMatchObject({ path: "gateway.existing", fix: 'did you mean "existingId"?' });
  });

  it("an allowed prefix narrower than the VPC CIDR: it lets nothing through, and the VPC CIDR is left out", () => {
    expect(issues({ allowedPrefixes: ["10.0.0.0/24"] })).toEqual([
      expect.objectContaining({
        path: "allowedPrefixes[0]",
        value: "10.0.0.0/24",
        message: expect.stringMatching(/narrower than the VPC CIDR 10\.0\.0\.0\/16/),
      }),
      expect.objectContaining({ path: "allowedPrefixes", message: expect.stringMatching(/leaves the VPC CIDR 10\.0\.0\.0\/16 out/) }),
    ]);
  });

  it("an allowed prefix that holds no VPC CIDR", () => {
    expect(issues({ allowedPrefixes: ["10.0.0.0/16", "192.168.0.0/16"] })).toEqual([
      expect.objectContaining({ path: "allowedPrefixes[1]", value: "192.168.0.0/16", message: expect.stringMatching(/holds no VPC CIDR/) }),
    ]);
  });

  it("allowed prefixes that are not IPv4 CIDRs", () => {
    expect(only({ allowedPrefixes: ["10.0.0.1/16"] })).toMatchObject({ path: "allowedPrefixes[0]", message: expect.stringMatching(/host bits set/) });
    expect(only({ allowedPrefixes: ["10.0.0.0"] })).toMatchObject({ path: "allowedPrefixes[0]", message: expect.stringMatching(/not IPv4 CIDR notation/) });
    expect(only({ allowedPrefixes: ["2001:db8::/32"] }).path).toBe("allowedPrefixes[0]");
  });

  it("an empty list of allowed prefixes, or too many", () => {
    expect(only({ allowedPrefixes: [] })).toMatchObject({ path: "allowedPrefixes", message: expect.stringMatching(/is empty/) });
    // 10.0.0.0/16 and the 16 wider prefixes that hold it (10.0.0.0/15 ... 0.0.0.0/0), and 4 that hold no VPC CIDR.
    const wide = Array.from({ length: 17 }, (_, i) => {
      const bits = 16 - i;
      return `${bits >= 8 ? 10 : 10 & (0xff << (8 - bits)) & 0xff}.0.0.0/${bits}`;
    });
    const list = [...wide, "192.168.0.0/16", "192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24"];
    expect(list).toHaveLength(21);
    expect(issues({ allowedPrefixes: list })).toContainEqual(
      expect.objectContaining({ path: "allowedPrefixes", message: expect.stringMatching(/holds 21 prefixes; this library allows at most 20/) }),
    );
  });

  it("allowed prefixes that leave a secondary VPC CIDR out", () => {
    const found = issues({ allowedPrefixes: ["10.0.0.0/16"] }, { network: network({ vpcCidrs: ["10.0.0.0/16", "10.1.0.0/16"] }) });
    expect(found).toEqual([
      expect.objectContaining({
        path: "allowedPrefixes",
        message: expect.stringMatching(/leaves the VPC CIDR 10\.1\.0\.0\/16 out/),
        fix: "add 10.1.0.0/16 (or a prefix that holds it)",
      }),
    ]);
  });

  it("a tier to propagate to that the network lacks", () => {
    expect(only({ propagateToTiers: ["private", "isolated"] })).toMatchObject({
      path: "propagateToTiers[1]",
      value: "isolated",
      message: expect.stringMatching(/has no subnets in this network \(tiers: private, training\)/),
    });
    expect(only({ propagateToTiers: ["intranet"] }).path).toBe("propagateToTiers[0]");
  });

  it("a virtual private gateway id that is missing or malformed", () => {
    expect(only({}, { virtualPrivateGatewayId: "vgw-123" })).toMatchObject({ path: "virtualPrivateGatewayId", message: "is not a virtual private gateway id" });
    expect(only({}, { virtualPrivateGatewayId: "tgw-0123456789abcdef0" }).path).toBe("virtualPrivateGatewayId");
    expect(only({}, { virtualPrivateGatewayId: undefined })).toMatchObject({ path: "virtualPrivateGatewayId", message: expect.stringMatching(/is required/) });
  });

  it("a misspelled field, with a suggestion", () => {
    expect(only({ allowedPrefix: ["10.0.0.0/16"] })).toMatchObject({
      path: "allowedPrefix",
      message: "is not a known field",
      fix: 'did you mean "allowedPrefixes"?',
    });
  });

  it("an invalid network, before anything else", () => {
    expect(configIssues(() => synth({}, { network: network({ vpcId: "vpc-1" }) }))[0].path).toBe("network.vpcId");
  });

  it("reports every problem at once, naming the construct, the field, the value and the fix", () => {
    let error: unknown;
    try {
      synth({ gateway: { create: { amazonSideAsn: 100, name: "a b" } }, allowedPrefixes: ["192.168.0.0/16"] }, { virtualPrivateGatewayId: "vgw-1" });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isConfigError(error)).toBe(true);
    const err = error as ConfigError;
    expect(err.scope).toBe('DirectConnectGateway "stack/dx"');
    expect(err.issues.map((i) => i.path)).toEqual([
      "gateway.create.amazonSideAsn",
      "gateway.create.name",
      "allowedPrefixes[0]",
      "allowedPrefixes",
      "virtualPrivateGatewayId",
    ]);
    expect(err.message).toMatch(/gateway\.create\.amazonSideAsn: is not a private ASN.*\(got 100\)\. Fix: use a private ASN/);
  });
});

describe("validateDirectConnectGateway without a construct", () => {
  const resolve = (config: DirectConnectGatewayConfig) => directConnectGatewayConfigSchema.parse(config);

  it("resolves the documented defaults", () => {
    expect(resolve({})).toEqual({ gateway: { create: { amazonSideAsn: 64512 } }, propagateToTiers: [] });
  });

  it("checks a config against a network view (CIDRs, name, tiers)", () => {
    expect(validateDirectConnectGateway(resolve({}), ["10.0.0.0/16"], "ml-test", ["private"])).toEqual([]);
    expect(
      validateDirectConnectGateway(resolve({ propagateToTiers: ["training"], allowedPrefixes: ["10.0.0.0/8"] }), ["10.0.0.0/16"], "ml-test", ["private"]),
    ).toEqual([expect.objectContaining({ path: "propagateToTiers[0]" })]);
    // The tier check needs the layout; without it only the CIDRs and names are checked.
    expect(validateDirectConnectGateway(resolve({ propagateToTiers: ["training"] }), ["10.0.0.0/16"])).toEqual([]);
  });
});
