import { Testing } from "cdktf";
import { DataAwsPrefixList } from "@cdktf/provider-aws/lib/data-aws-prefix-list";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { MlVpc } from "../../modules/network";
import { SegmentedSecurityGroups, type SegmentedSecurityGroupsConfig } from "../../modules/security-groups";
import { DESCRIPTION_CHARS } from "../../modules/security-groups/schema";
import { allResources, baseProps, resourceList, resources, type TfJson, configIssues } from "../helpers";

function synthGroups(config: SegmentedSecurityGroupsConfig = {}): { text: string; json: TfJson } {
  const text = Testing.synthScope((scope) => {
    const network = new MlVpc(scope, "network", baseProps({ flowLogs: { destination: "none" } }));
    new SegmentedSecurityGroups(scope, "sg", { network, ...config });
  });
  return { text, json: JSON.parse(text) as TfJson };
}

/** Rules as readable tuples: `notebook egress tcp 443-443 group:vpcEndpoints`. */
function ruleTable(json: TfJson): string[] {
  const groupNames = new Map(
    Object.entries(resources(json, "aws_security_group")).map(([k, v]) => [`\${aws_security_group.${k}.id}`, (v.name as string).replace(/^ml-test-/, "")]),
  );
  const plNames = new Map(
    Object.entries(json.data?.aws_prefix_list ?? {}).map(([k, v]) => [`\${data.aws_prefix_list.${k}.id}`, `pl:${(v.name as string).split(".").pop()}`]),
  );
  const rows: string[] = [];
  for (const [type, dir] of [
    ["aws_vpc_security_group_ingress_rule", "ingress"],
    ["aws_vpc_security_group_egress_rule", "egress"],
  ] as const) {
    for (const r of resourceList(json, type)) {
      const ports = r.ip_protocol === "-1" ? "all" : `${r.ip_protocol} ${r.from_port}-${r.to_port}`;
      const peer = r.referenced_security_group_id
        ? `group:${groupNames.get(r.referenced_security_group_id as string)}`
        : r.prefix_list_id
          ? (plNames.get(r.prefix_list_id as string) ?? `pl:${r.prefix_list_id}`)
          : `cidr:${r.cidr_ipv4 ?? r.cidr_ipv6}`;
      rows.push(`${groupNames.get(r.security_group_id as string)} ${dir} ${ports} ${peer}`);
    }
  }
  return rows.sort();
}

const rulesOf = (table: string[], group: string) => table.filter((r) => r.startsWith(`${group} `));

describe("SegmentedSecurityGroups: groups", () => {
  const { text, json } = synthGroups();

  it("creates one described, named group per function, without inline rules", () => {
    const groups = resourceList(json, "aws_security_group");
    expect(groups.map((g) => g.name).sort()).toEqual(["ml-test-data", "ml-test-inference", "ml-test-notebook", "ml-test-training", "ml-test-vpcEndpoints"]);
    for (const g of groups) {
      expect(g.description).toMatch(DESCRIPTION_CHARS);
      expect((g.tags as Record<string, string>).Name).toBe(g.name);
      expect(g.ingress).toBeUndefined();
      expect(g.egress).toBeUndefined();
    }
    expect(text).toHaveResourceWithProperties(SecurityGroup, { name: "ml-test-notebook", revoke_rules_on_delete: true });
  });

  it("creates the efa group only when enabled", () => {
    expect(resourceList(json, "aws_security_group").map((g) => g.name)).not.toContain("ml-test-efa");
    expect(resourceList(synthGroups({ efa: true }).json, "aws_security_group").map((g) => g.name)).toContain("ml-test-efa");
  });

  it("writes every rule as a standalone resource with a description AWS accepts", () => {
    const rules = [...resourceList(json, "aws_vpc_security_group_ingress_rule"), ...resourceList(json, "aws_vpc_security_group_egress_rule")];
    expect(rules.length).toBeGreaterThan(20);
    for (const r of rules) expect(r.description).toMatch(DESCRIPTION_CHARS);
  });

  it("looks up the S3 and DynamoDB prefix lists by name, once each, unless ids are given", () => {
    expect(text).toHaveDataSourceWithProperties(DataAwsPrefixList, { name: expect.stringMatching(/^com\.amazonaws\..*\.s3$/) });
    expect(Object.keys(json.data!.aws_prefix_list)).toHaveLength(2);
    const given = synthGroups({ prefixListIds: { s3: "pl-63a5400a", dynamodb: "pl-02cd2c6b" } });
    expect(given.json.data?.aws_prefix_list).toBeUndefined();
    expect(given.text).toHaveResourceWithProperties(VpcSecurityGroupEgressRule, { prefix_list_id: "pl-63a5400a", from_port: 443 });
  });
});

describe("SegmentedSecurityGroups: the default matrix", () => {
  const table = ruleTable(synthGroups().json);
  const data = ["2049", "3306", "5432", "6379"];

  it("notebook: HTTPS in from the VPC; HTTPS out to endpoints and prefix lists; data ports to data", () => {
    expect(rulesOf(table, "notebook")).toEqual(
      [
        "notebook ingress tcp 443-443 cidr:10.0.0.0/16",
        "notebook egress tcp 443-443 group:vpcEndpoints",
        "notebook egress tcp 443-443 pl:s3",
        "notebook egress tcp 443-443 pl:dynamodb",
        ...data.map((p) => `notebook egress tcp ${p}-${p} group:data`),
      ].sort(),
    );
  });

  it("training: all traffic within itself; HTTPS to endpoints and prefix lists; data ports", () => {
    expect(rulesOf(table, "training")).toEqual(
      [
        "training ingress all group:training",
        "training egress all group:training",
        "training egress tcp 443-443 group:vpcEndpoints",
        "training egress tcp 443-443 pl:s3",
        "training egress tcp 443-443 pl:dynamodb",
        ...data.map((p) => `training egress tcp ${p}-${p} group:data`),
      ].sort(),
    );
  });

  it("inference: no caller by default; HTTPS out to endpoints and prefix lists", () => {
    expect(rulesOf(table, "inference")).toEqual(
      ["inference egress tcp 443-443 group:vpcEndpoints", "inference egress tcp 443-443 pl:s3", "inference egress tcp 443-443 pl:dynamodb"].sort(),
    );
  });

  it("data: the data ports from notebook and training only, and no egress", () => {
    expect(rulesOf(table, "data")).toEqual(
      data.flatMap((p) => [`data ingress tcp ${p}-${p} group:notebook`, `data ingress tcp ${p}-${p} group:training`]).sort(),
    );
  });

  it("vpcEndpoints: HTTPS from notebook, training and inference, and no egress", () => {
    expect(rulesOf(table, "vpcEndpoints")).toEqual([
      "vpcEndpoints ingress tcp 443-443 group:inference",
      "vpcEndpoints ingress tcp 443-443 group:notebook",
      "vpcEndpoints ingress tcp 443-443 group:training",
    ]);
  });

  it("has no ingress from anywhere and no egress to the internet", () => {
    expect(table.filter((r) => r.includes("cidr:0.0.0.0/0") || r.includes("cidr:::/0"))).toEqual([]);
  });
});

describe("SegmentedSecurityGroups: configuration", () => {
  it("efa: all traffic to and from itself, HTTPS to endpoints and S3 only", () => {
    const table = ruleTable(synthGroups({ efa: true }).json);
    expect(rulesOf(table, "efa")).toEqual([
      "efa egress all group:efa",
      "efa egress tcp 443-443 group:vpcEndpoints",
      "efa egress tcp 443-443 pl:s3",
      "efa ingress all group:efa",
    ]);
    expect(table).toContain("vpcEndpoints ingress tcp 443-443 group:efa");
  });

  it("inference callers: each caller group gets the egress side, inference the ingress side", () => {
    const table = ruleTable(
      synthGroups({ inference: { servingPorts: [8080, { from: 9000, to: 9001 }], callerGroups: ["notebook"], callerCidrs: ["10.0.64.0/20"] } }).json,
    );
    expect(table).toEqual(
      expect.arrayContaining([
        "inference ingress tcp 8080-8080 group:notebook",
        "notebook egress tcp 8080-8080 group:inference",
        "inference ingress tcp 9000-9001 group:notebook",
        "notebook egress tcp 9000-9001 group:inference",
        "inference ingress tcp 8080-8080 cidr:10.0.64.0/20",
      ]),
    );
  });

  it("notebook clients replace the VPC-wide default", () => {
    const table = ruleTable(synthGroups({ notebook: { clientCidrs: ["10.0.0.0/24"], clientGroups: ["inference"] } }).json);
    expect(rulesOf(table, "notebook").filter((r) => r.includes("ingress"))).toEqual([
      "notebook ingress tcp 443-443 cidr:10.0.0.0/24",
      "notebook ingress tcp 443-443 group:inference",
    ]);
    expect(table).toContain("inference egress tcp 443-443 group:notebook");
  });

  it("internet egress exists only for the groups that opt in, on the chosen ports", () => {
    const table = ruleTable(synthGroups({ internetEgress: ["notebook"], internetEgressPorts: [443, 80] }).json);
    expect(table.filter((r) => r.includes("0.0.0.0/0"))).toEqual(["notebook egress tcp 443-443 cidr:0.0.0.0/0", "notebook egress tcp 80-80 cidr:0.0.0.0/0"]);
  });

  it("data ports and consumers are configurable; no consumers means no data rules", () => {
    const table = ruleTable(synthGroups({ data: { ports: [5432], consumers: ["inference"] } }).json);
    expect(rulesOf(table, "data")).toEqual(["data ingress tcp 5432-5432 group:inference"]);
    expect(rulesOf(ruleTable(synthGroups({ data: { ports: [], consumers: [] } }).json), "data")).toEqual([]);
  });

  it("extra rules: a flow adds both sides; an edge adds one; an opted-in group may take ingress from anywhere", () => {
    const table = ruleTable(
      synthGroups({
        allowIngressFromAnywhere: ["inference"],
        extraRules: [
          { from: "training", to: "inference", port: 8443, description: "evaluation calls" },
          { group: "inference", direction: "ingress", port: 443, cidr: "0.0.0.0/0", description: "public model API behind a WAF" },
          { group: "notebook", direction: "egress", port: 22, cidr: "192.0.2.0/24", description: "git over SSH to the on-prem server" },
        ],
      }).json,
    );
    expect(table).toEqual(
      expect.arrayContaining([
        "training egress tcp 8443-8443 group:inference",
        "inference ingress tcp 8443-8443 group:training",
        "inference ingress tcp 443-443 cidr:0.0.0.0/0",
        "notebook egress tcp 22-22 cidr:192.0.2.0/24",
      ]),
    );
  });

  it("adding a rule adds resources and changes none", () => {
    const before = allResources(synthGroups().json);
    const after = allResources(synthGroups({ extraRules: [{ from: "training", to: "inference", port: 8443, description: "evaluation calls" }] }).json);
    for (const [address, body] of before) expect(after.get(address)).toEqual(body);
    expect(after.size - before.size).toBe(2);
  });
});

describe("SegmentedSecurityGroups rejects bad input", () => {
  const issues = (config: SegmentedSecurityGroupsConfig) => configIssues(() => synthGroups(config));
  const at = (config: SegmentedSecurityGroupsConfig, path: string) => {
    const found = issues(config).find((i) => i.path === path);
    if (!found) throw new Error(`no issue at ${path}: ${JSON.stringify(issues(config))}`);
    return found;
  };

  it("ports outside 0-65535 or ranges that run backwards", () => {
    expect(at({ inference: { servingPorts: [70000] } }, "inference.servingPorts[0]").message).toMatch(/0 to 65535/);
    expect(at({ data: { ports: [{ from: 6000, to: 5000 }] } }, "data.ports[0]").fix).toMatch(/from: 5000, to: 6000/);
    expect(at({ extraRules: [{ from: "notebook", to: "data", port: -1, description: "x" }] }, "extraRules[0].port").message).toMatch(/0-65535|0 to 65535/);
  });

  it("ingress from 0.0.0.0/0 or ::/0 without the named opt-in", () => {
    expect(at({ notebook: { clientCidrs: ["0.0.0.0/0"] } }, "notebook.clientCidrs[0]").fix).toMatch(/allowIngressFromAnywhere: \["notebook"\]/);
    expect(at({ inference: { callerCidrs: ["::/0"] } }, "inference.callerCidrs[0]").message).toMatch(/whole internet/);
    expect(
      at({ extraRules: [{ group: "data", direction: "ingress", port: 5432, cidr: "0.0.0.0/0", description: "x" }] }, "extraRules[0].cidr").message,
    ).toMatch(/whole internet/);
  });

  it("a reference to a group that does not exist", () => {
    expect(at({ inference: { callerGroups: ["notebooks" as never] } }, "inference.callerGroups[0]").fix).toMatch(
      /notebook, training, inference, data, vpcEndpoints/,
    );
    expect(at({ extraRules: [{ from: "efa", to: "training", protocol: "all", description: "x" }] }, "extraRules[0].from").message).toMatch(/efa: true/);
    expect(at({ internetEgress: ["data"] }, "internetEgress[0]").message).toMatch(/not a security group/);
  });

  it("an empty data-port list while data has consumers", () => {
    expect(at({ data: { ports: [] } }, "data.ports").fix).toMatch(/consumers: \[\]/);
  });

  it("descriptions AWS would reject, malformed CIDRs and prefix-list ids, rules without a peer", () => {
    expect(at({ extraRules: [{ from: "notebook", to: "data", port: 1, description: "it's <bad>" }] }, "extraRules[0].description").message).toMatch(
      /characters AWS rejects/,
    );
    expect(at({ notebook: { clientCidrs: ["10.0.0.1/16"] } }, "notebook.clientCidrs[0]").message).toMatch(/host bits/);
    expect(
      at({ extraRules: [{ group: "notebook", direction: "egress", port: 443, prefixListId: "s3", description: "x" }] }, "extraRules[0].prefixListId").message,
    ).toMatch(/not a prefix list id/);
    expect(at({ extraRules: [{ group: "notebook", direction: "egress", port: 443, description: "x" }] }, "extraRules[0]").message).toMatch(/exactly one peer/);
  });
});
