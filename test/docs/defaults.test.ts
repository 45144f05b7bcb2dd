/**
 * Each default written once: every optional property of the props and config
 * interfaces carries one TSDoc `@default` tag (typedoc renders it), and a
 * literal `@default` is the value the code really uses.
 *
 * The interfaces are read from their source with TypeScript's parser (no
 * program or type checker, which keeps this fast). INTERFACES pairs each with
 * the zod schema that resolves it and a minimal valid input. For every
 * optional property, including those of inline object types:
 *   - there is exactly one `@default`; required properties have none;
 *   - a literal tag (`600`, `"tcp"`, `[]`, `{}`, `{ type: "local" }`) must
 *     resolve like the code: leaving the property out gives the same resolved
 *     value as writing the literal. A default the schema leaves unset and the
 *     construct applies (`?? "tcp"`) is resolved by CODE_DEFAULTS instead;
 *   - a property that resolves to a value when left out must have a literal
 *     tag, so a default added to a schema without its documentation fails;
 *   - `@default - phrase` (the AWS CDK convention) is for computed or absent
 *     defaults, which no schema resolves.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { S3Backend, TerraformStack, Testing, type App } from "cdktf";
import type { z } from "zod";
import { MlVpc, mlVpcPropsSchema, type IMlNetwork, type NetworkSubnet, type SubnetTier } from "../../modules/network";
import { buildRuleMatrix, securityGroupsConfigSchema } from "../../modules/security-groups";
import { networkAclsConfigSchema, planNetworkAcls } from "../../modules/network-acls";
import { endpointsConfigSchema } from "../../modules/endpoints";
import { SiteToSiteVpn, vpnConfigSchema } from "../../modules/vpn";
import { EfaCluster, efaClusterConfigSchema } from "../../modules/efa-cluster";
import { sagemakerConfigSchema } from "../../modules/sagemaker";
import { governanceConfigSchema } from "../../modules/governance";
import { hybridDnsConfigSchema } from "../../modules/hybrid-dns";
import { directConnectGatewayConfigSchema } from "../../modules/direct-connect";
import { partnerEndpointsConfigSchema } from "../../modules/partner-endpoints";
import { inferenceLoadBalancerConfigSchema } from "../../modules/inference-ingress";
import { MlPlatformStack, checkEnvironment, environmentSchema, type EnvironmentConfig } from "../../environments";

const root = path.resolve(__dirname, "../..");

// ---------------------------------------------------------------------------
// Minimal valid inputs (what zod accepts; the modules' own validators are not run).

const AZ = "us-east-1a";
const VPC = { name: "ml-doc", cidr: "10.0.0.0/16", availabilityZones: [AZ, "us-east-1b"], tiers: {} };
const EFA = { instanceType: "p5.48xlarge", nodes: { max: 1 }, ami: { id: "ami-0123456789abcdef0" } };
const ENV = {
  name: "doc",
  region: "us-east-1",
  tags: { Environment: "doc", Project: "doc", Owner: "doc@example.com", CostCenter: "CC-1", Compliance: "none" },
  network: { cidr: "10.0.0.0/16", availabilityZones: [AZ, "us-east-1b"], tiers: { private: { prefixLength: 20 } } },
};
const NACL_RULE = { tier: "private", egress: false, ruleNumber: 150, cidr: "172.16.0.0/16" };
/** Holds an `icmp` object, so its optional `code` resolves (`type` is required). */
const NACL_ICMP_RULE = { ...NACL_RULE, protocol: "icmp", icmp: { type: 3 } };
const FLOW_RULE = { from: "notebook", to: "training", port: 22, description: "probe" };
const EDGE_RULE = { group: "notebook", direction: "egress" as const, port: 22, cidr: "172.16.0.0/16", description: "probe" };
const CUSTOM_SERVICE = { suffix: "probe", purpose: "probe" };
const PARTNER = { serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0b245d99885c0eef6", purpose: "probe", ports: [443], callers: ["training"] };
const FORWARD_RULE = { domain: "corp.example.com", targets: [{ ip: "172.16.0.2" }] };
const ZONE = { name: "ml.internal.example.com", records: { registry: { type: "A", values: ["10.0.0.10"] } } };
const LB = { certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012" };

type Key = string | number;

/** Where an interface lives in a schema: parse `input`, read the interface's object at `at`. */
interface Pairing {
  readonly schema: z.ZodType;
  readonly input: Record<string, unknown>;
  readonly at: readonly Key[];
}

const pair = (schema: z.ZodType, input: Record<string, unknown>, at: readonly Key[] = []): Pairing => ({ schema, input, at });

/**
 * The props and config interfaces users write, by name: the file that declares
 * them and, when a zod schema resolves them, the schema, a minimal input and
 * the path of the interface inside it. Interfaces without a schema (construct
 * props beside the config) may only use `- phrase` defaults or CODE_DEFAULTS.
 */
const INTERFACES: Readonly<Record<string, { readonly file: string; readonly schema?: Pairing }>> = {
  MlVpcProps: { file: "modules/network/index.ts", schema: pair(mlVpcPropsSchema, VPC) },
  SubnetTiersProps: { file: "modules/network/index.ts", schema: pair(mlVpcPropsSchema, VPC, ["tiers"]) },
  SubnetTierProps: {
    file: "modules/network/index.ts",
    schema: pair(mlVpcPropsSchema, { ...VPC, tiers: { private: { prefixLength: 20 } } }, ["tiers", "private"]),
  },
  PublicTierProps: {
    file: "modules/network/index.ts",
    schema: pair(mlVpcPropsSchema, { ...VPC, tiers: { public: { prefixLength: 24 } } }, ["tiers", "public"]),
  },
  TrainingTierProps: {
    file: "modules/network/index.ts",
    schema: pair(mlVpcPropsSchema, { ...VPC, tiers: { training: { prefixLength: 20 } } }, ["tiers", "training"]),
  },
  FlowLogsProps: { file: "modules/network/index.ts", schema: pair(mlVpcPropsSchema, VPC, ["flowLogs"]) },
  NetworkSubnet: { file: "modules/network/index.ts" },
  IMlNetwork: { file: "modules/network/index.ts" },
  VpcFlowLogsProps: { file: "modules/network/flow-logs.ts" },
  LogGroupKeyProps: { file: "modules/core/log-key.ts" },
  SegmentedSecurityGroupsConfig: { file: "modules/security-groups/index.ts", schema: pair(securityGroupsConfigSchema, {}) },
  SegmentedSecurityGroupsProps: { file: "modules/security-groups/index.ts" },
  FlowRule: { file: "modules/security-groups/index.ts", schema: pair(securityGroupsConfigSchema, { extraRules: [FLOW_RULE] }, ["extraRules", 0]) },
  EdgeRule: { file: "modules/security-groups/index.ts", schema: pair(securityGroupsConfigSchema, { extraRules: [EDGE_RULE] }, ["extraRules", 0]) },
  TierNetworkAclsConfig: { file: "modules/network-acls/index.ts", schema: pair(networkAclsConfigSchema, {}) },
  TierNetworkAclsProps: { file: "modules/network-acls/index.ts" },
  NaclExtraRule: { file: "modules/network-acls/index.ts", schema: pair(networkAclsConfigSchema, { extraRules: [NACL_ICMP_RULE] }, ["extraRules", 0]) },
  VpcEndpointsConfig: { file: "modules/endpoints/index.ts", schema: pair(endpointsConfigSchema, {}) },
  CustomInterfaceService: {
    file: "modules/endpoints/index.ts",
    schema: pair(endpointsConfigSchema, { interface: { customServices: { probe: CUSTOM_SERVICE } } }, ["interface", "customServices", "probe"]),
  },
  MlVpcEndpointsProps: { file: "modules/endpoints/index.ts" },
  SiteToSiteVpnConfig: { file: "modules/vpn/index.ts", schema: pair(vpnConfigSchema, { customerGateways: {} }) },
  CustomerGatewayConfig: {
    file: "modules/vpn/index.ts",
    schema: pair(vpnConfigSchema, { customerGateways: { dc1: { ipAddress: "203.0.113.10" } } }, ["customerGateways", "dc1"]),
  },
  SiteToSiteVpnProps: { file: "modules/vpn/index.ts" },
  EfaClusterConfig: { file: "modules/efa-cluster/index.ts", schema: pair(efaClusterConfigSchema, EFA) },
  EfaInstanceSpec: {
    file: "modules/efa-cluster/index.ts",
    schema: pair(efaClusterConfigSchema, { ...EFA, instanceSpec: { efaInterfaces: 4 } }, ["instanceSpec"]),
  },
  EfaClusterProps: { file: "modules/efa-cluster/index.ts" },
  SageMakerConfig: { file: "modules/sagemaker/index.ts", schema: pair(sagemakerConfigSchema, {}) },
  NotebookConfig: { file: "modules/sagemaker/index.ts", schema: pair(sagemakerConfigSchema, { notebooks: { nb: {} } }, ["notebooks", "nb"]) },
  SageMakerWorkspaceProps: { file: "modules/sagemaker/index.ts" },
  GovernanceConfig: { file: "modules/governance/index.ts", schema: pair(governanceConfigSchema, {}) },
  ConfigDriftRulesProps: { file: "modules/governance/index.ts" },
  HybridDnsConfig: { file: "modules/hybrid-dns/index.ts", schema: pair(hybridDnsConfigSchema, {}) },
  HybridDnsInbound: { file: "modules/hybrid-dns/index.ts", schema: pair(hybridDnsConfigSchema, {}, ["inbound"]) },
  HybridDnsForwardRule: {
    file: "modules/hybrid-dns/index.ts",
    schema: pair(hybridDnsConfigSchema, { forwardRules: { corp: FORWARD_RULE } }, ["forwardRules", "corp"]),
  },
  HybridDnsTarget: {
    file: "modules/hybrid-dns/index.ts",
    schema: pair(hybridDnsConfigSchema, { forwardRules: { corp: FORWARD_RULE } }, ["forwardRules", "corp", "targets", 0]),
  },
  HybridDnsPrivateZone: { file: "modules/hybrid-dns/index.ts", schema: pair(hybridDnsConfigSchema, { privateZone: ZONE }, ["privateZone"]) },
  HybridDnsRecord: { file: "modules/hybrid-dns/index.ts", schema: pair(hybridDnsConfigSchema, { privateZone: ZONE }, ["privateZone", "records", "registry"]) },
  HybridDnsProps: { file: "modules/hybrid-dns/index.ts" },
  DirectConnectGatewayConfig: { file: "modules/direct-connect/index.ts", schema: pair(directConnectGatewayConfigSchema, {}) },
  NewDirectConnectGatewayConfig: { file: "modules/direct-connect/index.ts", schema: pair(directConnectGatewayConfigSchema, {}, ["gateway", "create"]) },
  DirectConnectGatewayProps: { file: "modules/direct-connect/index.ts" },
  PartnerEndpointsConfig: { file: "modules/partner-endpoints/index.ts", schema: pair(partnerEndpointsConfigSchema, { partners: {} }) },
  PartnerEndpointConfig: {
    file: "modules/partner-endpoints/index.ts",
    schema: pair(partnerEndpointsConfigSchema, { partners: { p: PARTNER } }, ["partners", "p"]),
  },
  PartnerEndpointsProps: { file: "modules/partner-endpoints/index.ts" },
  InferenceLoadBalancerConfig: { file: "modules/inference-ingress/index.ts", schema: pair(inferenceLoadBalancerConfigSchema, LB) },
  InferenceListenerConfig: {
    file: "modules/inference-ingress/index.ts",
    schema: pair(inferenceLoadBalancerConfigSchema, { ...LB, listeners: { https: { port: 443 } } }, ["listeners", "https"]),
  },
  InferenceHealthCheckConfig: { file: "modules/inference-ingress/index.ts", schema: pair(inferenceLoadBalancerConfigSchema, LB, ["healthCheck"]) },
  InferenceAccessLogsConfig: {
    file: "modules/inference-ingress/index.ts",
    schema: pair(inferenceLoadBalancerConfigSchema, { ...LB, accessLogs: { bucket: "doc-logs" } }, ["accessLogs"]),
  },
  InferenceLoadBalancerProps: { file: "modules/inference-ingress/index.ts" },
  BlueprintRef: { file: "modules/blueprints/index.ts", schema: pair(environmentSchema, { ...ENV, blueprint: { name: "mvp" } }, ["blueprint"]) },
  EnvironmentConfig: { file: "environments/config.ts", schema: pair(environmentSchema, ENV) },
  LocalBackendConfig: { file: "environments/config.ts", schema: pair(environmentSchema, { ...ENV, backend: { type: "local" } }, ["backend"]) },
  S3BackendConfig: {
    file: "environments/config.ts",
    schema: pair(environmentSchema, { ...ENV, backend: { type: "s3", bucket: "doc-state", region: "us-east-1" } }, ["backend"]),
  },
  OnPremisesAccess: {
    file: "environments/config.ts",
    schema: pair(environmentSchema, { ...ENV, onPremisesAccess: [{ group: "notebook", port: 443, description: "probe" }] }, ["onPremisesAccess", 0]),
  },
  BlueprintEnvironment: { file: "environments/blueprint.ts" },
};

/** Exported interfaces with optional properties that users do not write, and why. */
const EXCLUDED: Readonly<Record<string, string>> = {
  PlatformShape: "what blueprint presets return and traits read; users write EnvironmentConfig",
  ConfigRuleSpec: "entries of the CONFIG_RULES catalog, not user input",
  EndpointNetworkView: "what endpoint validation reads of a network (viewOf builds it), not user input",
};

/** Files whose exported interfaces must be in INTERFACES or EXCLUDED. */
function scopeFiles(): string[] {
  const modules = fs.readdirSync(path.join(root, "modules"), { withFileTypes: true }).filter((d) => d.isDirectory());
  const perModule = modules.flatMap((d) => ["index.ts", "schema.ts"].map((f) => `modules/${d.name}/${f}`));
  const files = [
    "modules/index.ts",
    ...perModule,
    "modules/network/flow-logs.ts",
    "modules/core/log-key.ts",
    "environments/config.ts",
    "environments/blueprint.ts",
  ];
  return files.filter((f) => fs.existsSync(path.join(root, f)));
}

// ---------------------------------------------------------------------------
// Defaults the schema leaves unset and the code applies: what the code uses
// when the property is left out, observed through the modules' own functions
// and constructs (built, not synthesized).

let app: App | undefined;
let stacks = 0;
const stack = () => new TerraformStack((app ??= Testing.app()), `doc-${++stacks}`);
// Plain networks are checked like MlVpc props (ids by shape, subnets apart): each subnet gets its own id and block.
let subnets = 0;
const subnet = (tier: SubnetTier, az: string): NetworkSubnet => {
  const n = ++subnets;
  return {
    id: `subnet-${n.toString(16).padStart(8, "0")}`,
    tier,
    availabilityZone: az,
    cidr: `10.0.${n}.0/24`,
    routeTableId: `rtb-${n.toString(16).padStart(8, "0")}`,
    routeTableName: `${tier}-${az}`,
  };
};
const plainNetwork = (subnets: NetworkSubnet[]): IMlNetwork => ({
  name: "ml-doc",
  vpcId: "vpc-0d0c0d0c",
  region: "us-east-1",
  vpcCidrs: ["10.0.0.0/16"],
  availabilityZones: [AZ],
  subnets,
  dnsSupport: true,
  dnsHostnames: true,
});
const probeRule = (cfg: z.input<typeof securityGroupsConfigSchema>, vpcCidrs = ["10.0.0.0/16"]) =>
  buildRuleMatrix(securityGroupsConfigSchema.parse(cfg), vpcCidrs).find((r) => r.description.endsWith("probe"))!;
const naclRule = (rule: Record<string, unknown>) =>
  planNetworkAcls(networkAclsConfigSchema.parse({ extraRules: [{ ...NACL_RULE, ...rule }] }), ["private"], ["10.0.0.0/16"], []).find(
    (r) => r.ruleNumber === NACL_RULE.ruleNumber,
  )!;
const onPremisesProbe = () => {
  const { config } = checkEnvironment({
    ...ENV,
    onPremisesCidrs: ["172.16.0.0/16"],
    onPremisesAccess: [{ group: "notebook", port: 443, description: "probe" }],
  } as EnvironmentConfig);
  return probeRule(config!.securityGroups as z.input<typeof securityGroupsConfigSchema>);
};

const CODE_DEFAULTS: Readonly<Record<string, () => unknown>> = {
  "PublicTierProps.mapPublicIpOnLaunch": () => {
    const vpc = new MlVpc(stack(), "vpc", { ...VPC, tiers: { public: { prefixLength: 24 } }, flowLogs: { destination: "none" as const } });
    return vpc.subnetResources[`public-${AZ}`].mapPublicIpOnLaunchInput;
  },
  "TrainingTierProps.natEgress": () => {
    const tiers = { public: { prefixLength: 24 }, private: { prefixLength: 20 }, training: { prefixLength: 20 } };
    const vpc = new MlVpc(stack(), "vpc", { ...VPC, tiers, nat: "single" as const, flowLogs: { destination: "none" as const } });
    return vpc.node.tryFindChild("rt-training-default") !== undefined;
  },
  "FlowRule.protocol": () => probeRule({ extraRules: [FLOW_RULE] }).range.protocol,
  "EdgeRule.protocol": () => probeRule({ extraRules: [EDGE_RULE] }).range.protocol,
  "NaclExtraRule.protocol": () => naclRule({ port: 22 }).range.protocol,
  "NaclExtraRule.action": () => naclRule({ port: 22 }).action,
  "NaclExtraRule.icmp.code": () => naclRule({ protocol: "icmp", icmp: { type: 3 } }).range.to,
  "OnPremisesAccess.direction": () => onPremisesProbe().direction,
  "OnPremisesAccess.protocol": () => onPremisesProbe().range.protocol,
  "EfaClusterProps.tier": () => {
    const network = plainNetwork(["private", "training"].map((t) => subnet(t as SubnetTier, AZ)));
    const cluster = new EfaCluster(stack(), "efa", { ...EFA, network, name: "doc", securityGroupId: "sg-doc" });
    return network.subnets.find((s) => s.id === cluster.subnetId)?.tier;
  },
  "SiteToSiteVpnConfig.propagateToTiers": () => {
    const network = plainNetwork((["public", "private", "isolated", "training"] as const).map((t) => subnet(t, AZ)));
    const vpn = new SiteToSiteVpn(stack(), "vpn", { network, customerGateways: { dc1: { ipAddress: "203.0.113.10", bgpAsn: 65010 } } });
    const tables = vpn.node.children.map((c) => c.node.id).filter((id) => id.startsWith("propagation-"));
    return network.subnets.filter((s) => tables.includes(`propagation-${s.routeTableName}`)).map((s) => s.tier);
  },
  "S3BackendConfig.keyPrefix": () => {
    const env = { ...ENV, backend: { type: "s3" as const, bucket: "doc-state", region: "us-east-1" } } as EnvironmentConfig;
    const platform = new MlPlatformStack((app ??= Testing.app()), env);
    const backend = platform.node.findAll().find((c): c is S3Backend => c instanceof S3Backend)!;
    const key = (backend.toTerraform() as { terraform: { backend: { s3: { key: string } } } }).terraform.backend.s3.key;
    return key.slice(0, -`/${env.name}/terraform.tfstate`.length);
  },
};

// ---------------------------------------------------------------------------
// Reading the interfaces.

interface Prop {
  /** `Interface.path.to.property`. */
  readonly id: string;
  readonly iface: string;
  /** Path below the interface (inline object types add segments). */
  readonly path: readonly string[];
  readonly optional: boolean;
  /** Text of each `@default` tag. */
  readonly defaults: readonly string[];
}

const sources = new Map<string, ts.SourceFile>();
function sourceOf(file: string): ts.SourceFile {
  let sf = sources.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
    sources.set(file, sf);
  }
  return sf;
}

function exportedInterfaces(file: string): ts.InterfaceDeclaration[] {
  return sourceOf(file).statements.filter(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
  );
}

/** Object types written inline in a property's type (through unions, intersections and parentheses, not arrays or records). */
function inlineObjects(type: ts.TypeNode | undefined): ts.TypeLiteralNode[] {
  if (!type) return [];
  if (ts.isTypeLiteralNode(type)) return [type];
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) return type.types.flatMap(inlineObjects);
  if (ts.isParenthesizedTypeNode(type)) return inlineObjects(type.type);
  return [];
}

/** The interface's own properties (inherited ones are checked on their own interface), inline objects included. */
function propsOf(decl: ts.InterfaceDeclaration): Prop[] {
  const props: Prop[] = [];
  const walk = (members: ts.NodeArray<ts.TypeElement>, prefix: string[]) => {
    for (const m of members) {
      if (!ts.isPropertySignature(m)) continue;
      const p = [...prefix, m.name.getText()];
      const defaults = ts
        .getJSDocTags(m)
        .filter((t) => t.tagName.text === "default")
        .map((t) => (ts.getTextOfJSDocComment(t.comment) ?? "").trim());
      props.push({ id: [decl.name.text, ...p].join("."), iface: decl.name.text, path: p, optional: !!m.questionToken, defaults });
      for (const literal of inlineObjects(m.type)) walk(literal.members, p);
    }
  };
  walk(decl.members, []);
  return props;
}

/** The value of a TypeScript/JSON literal (strings, numbers, booleans, null, arrays, objects); undefined if the text is none. */
function literalValue(text: string): { value: unknown } | undefined {
  const sf = ts.createSourceFile("default.ts", `(${text})`, ts.ScriptTarget.Latest, true);
  const [statement] = sf.statements;
  if (sf.statements.length !== 1 || !ts.isExpressionStatement(statement) || statement.getEnd() !== text.length + 2) return undefined;
  const value = (e: ts.Expression): unknown => {
    if (ts.isParenthesizedExpression(e)) return value(e.expression);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isNumericLiteral(e)) return Number(e.text);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
    if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (e.kind === ts.SyntaxKind.NullKeyword) return null;
    if (ts.isArrayLiteralExpression(e)) return e.elements.map(value);
    if (ts.isObjectLiteralExpression(e)) {
      return Object.fromEntries(
        e.properties.map((p) => {
          if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) throw new Error("not a literal");
          return [p.name.text, value(p.initializer)];
        }),
      );
    }
    throw new Error("not a literal");
  };
  try {
    return { value: value(statement.expression) };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Resolving through the schemas.

/** A copy of `target` with `value` at `keys` (intermediate objects created), or the key removed when `value` is omitted. */
function setAt(target: Record<string, unknown>, keys: readonly Key[], ...value: [unknown?]): Record<string, unknown> {
  const copy = structuredClone(target);
  let cur = copy as Record<Key, unknown>;
  keys.slice(0, -1).forEach((k) => {
    cur[k] ??= {};
    cur = cur[k] as Record<Key, unknown>;
  });
  const last = keys[keys.length - 1];
  if (value.length > 0) cur[last] = value[0];
  else delete cur[last];
  return copy;
}

function parse(p: Pairing, input: Record<string, unknown>, id: string): unknown {
  const result = p.schema.safeParse(input);
  if (!result.success) throw new Error(`${id}: the schema rejects ${JSON.stringify(input)}: ${result.error.message}`);
  return result.data;
}

/**
 * The resolved value of the property at `rel` below the interface: left out,
 * or written as `given`. A parent object that stays absent when left out (an
 * optional object without default) is written as `{}`, the smallest input
 * that holds the property.
 */
function resolved(p: Pairing, rel: readonly string[], id: string, given?: { value: unknown }): unknown {
  const full = [...p.at, ...rel];
  let input = given ? setAt(p.input, full, given.value) : setAt(p.input, full);
  for (;;) {
    let cur = parse(p, input, id);
    let depth = 0;
    for (; depth < full.length - 1; depth++) {
      const next = (cur as Record<Key, unknown>)[full[depth]];
      if (next === undefined) break;
      cur = next;
    }
    if (depth === full.length - 1) return (cur as Record<Key, unknown>)[full[depth]];
    input = setAt(input, full.slice(0, depth + 1), {});
  }
}

const UNRESOLVED = "(unset: the schema leaves it out and no CODE_DEFAULTS entry resolves it; or write @default - <phrase>)";

/** The tag's kind: a literal value, or a phrase for a computed or absent default. */
function tagOf(prop: Prop): { literal?: { value: unknown }; phrase?: string } {
  const tag = prop.defaults[0];
  if (tag.startsWith("- ")) return { phrase: tag.slice(2).trim() };
  return { literal: literalValue(tag) };
}

/** What the code uses when the property is left out: the schema's value, else the code's (CODE_DEFAULTS), else undefined. */
function actualDefault(prop: Prop): unknown {
  const schema = INTERFACES[prop.iface].schema;
  const fromSchema = schema ? resolved(schema, prop.path, prop.id) : undefined;
  return fromSchema !== undefined ? fromSchema : CODE_DEFAULTS[prop.id]?.();
}

/** What the documented literal resolves to: written into the input and parsed (`{}` fills in nested defaults), or as is. */
function documentedDefault(prop: Prop, literal: { value: unknown }): unknown {
  const schema = INTERFACES[prop.iface].schema;
  return schema && !CODE_DEFAULTS[prop.id] ? resolved(schema, prop.path, prop.id, literal) : literal.value;
}

/** Problems with the form of one property's tags. */
function formProblems(prop: Prop): string[] {
  const { id, defaults } = prop;
  if (!prop.optional) return defaults.length > 0 ? [`${id} is required but documents @default ${defaults.join(", ")}`] : [];
  if (defaults.length !== 1) return [`${id} is optional and needs exactly one @default tag, has ${defaults.length}`];
  const { literal, phrase } = tagOf(prop);
  if (phrase === "") return [`${id}: "@default -" needs a phrase after the dash`];
  if (phrase === undefined && !literal)
    return [`${id}: "@default ${defaults[0]}" is not a literal; write "@default - <phrase>" for a computed or absent default`];
  return [];
}

// ---------------------------------------------------------------------------

const declarations = new Map(Object.entries(INTERFACES).map(([name, { file }]) => [name, exportedInterfaces(file).find((d) => d.name.text === name)] as const));
const props = [...declarations.values()].flatMap((d) => (d ? propsOf(d) : []));
const wellFormed = props.filter((p) => p.optional && formProblems(p).length === 0);

describe("each default written once (@default on props and config interfaces)", () => {
  it("finds every listed interface, and lists every exported interface with optional properties", () => {
    const missing = [...declarations].filter(([, d]) => !d).map(([name]) => `${name} is not exported from ${INTERFACES[name].file}`);
    const unlisted = scopeFiles().flatMap((file) =>
      exportedInterfaces(file)
        .filter((d) => !(d.name.text in INTERFACES) && !(d.name.text in EXCLUDED) && propsOf(d).some((p) => p.optional))
        .map((d) => `${d.name.text} (${file}) has optional properties: add it to INTERFACES (with its schema) or EXCLUDED`),
    );
    expect([...missing, ...unlisted]).toEqual([]);
  });

  it("gives every optional property exactly one @default, a literal or a phrase, and required ones none", () => {
    expect(props.filter((p) => p.optional).length).toBeGreaterThan(100);
    expect(props.flatMap(formProblems)).toEqual([]);
  });

  it("documents the defaults the code really uses (literal @default against the schema, or the code)", () => {
    const documented: Record<string, unknown> = {};
    const actual: Record<string, unknown> = {};
    for (const prop of wellFormed) {
      const { literal } = tagOf(prop);
      if (!literal) continue;
      documented[prop.id] = documentedDefault(prop, literal);
      actual[prop.id] = actualDefault(prop) ?? UNRESOLVED;
    }
    expect(Object.keys(documented).length).toBeGreaterThan(50);
    // "Expected" is the documented default, "Received" the one the code uses, keyed by Interface.property.
    expect(actual).toEqual(documented);
  });

  it("writes a literal @default wherever the schema or the code resolves a value (a new zod default needs its docs)", () => {
    const undocumented = wellFormed
      .filter((p) => tagOf(p).phrase !== undefined)
      .map((p) => ({ p, value: actualDefault(p) }))
      .filter(({ value }) => value !== undefined)
      .map(({ p, value }) => `${p.id}: resolves to ${JSON.stringify(value)} when left out, but documents "@default ${p.defaults[0]}"`);
    expect(undocumented).toEqual([]);
  });

  it("lists in CODE_DEFAULTS only documented properties the schema leaves unset", () => {
    const byId = new Map(props.map((p) => [p.id, p]));
    const stale = Object.keys(CODE_DEFAULTS).filter((id) => {
      const prop = byId.get(id);
      const schema = prop && INTERFACES[prop.iface].schema;
      return !prop || (schema !== undefined && resolved(schema, prop.path, id) !== undefined);
    });
    expect(stale).toEqual([]);
  });
});
