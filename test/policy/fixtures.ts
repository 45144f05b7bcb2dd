/**
 * A passing and a failing Terraform JSON fixture for every rule of the pack.
 * Each fixture is the smallest JSON that shows the behaviour.
 */
import type { TfJsonShape } from "../../analysis/tfjson";
import type { RuleId } from "../../modules/core/rule-ids";

const TAGS = { Environment: "sandbox", Project: "p", Owner: "o@example.com", CostCenter: "c", Compliance: "x" };
export function doc(resource: Record<string, Record<string, Record<string, unknown>>>, environment = "sandbox"): TfJsonShape {
  return { provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { ...TAGS, Environment: environment } }] }] }, resource };
}

const vpc = { v: { cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true } };
const sg = (description?: string) => ({ g: { name: "g", vpc_id: "${aws_vpc.v.id}", ...(description !== undefined ? { description } : {}) } });
const ingress = (extra: Record<string, unknown>) => ({
  r: { security_group_id: "${aws_security_group.g.id}", description: "d", ip_protocol: "tcp", from_port: 443, to_port: 443, ...extra },
});
const hardened = (t: string) => ({
  [`${t}_ike_versions`]: ["ikev2"],
  [`${t}_phase1_encryption_algorithms`]: ["AES256"],
  [`${t}_phase2_encryption_algorithms`]: ["AES256-GCM-16"],
  [`${t}_phase1_integrity_algorithms`]: ["SHA2-256"],
  [`${t}_phase2_integrity_algorithms`]: ["SHA2-512"],
  [`${t}_phase1_dh_group_numbers`]: [14, 20],
  [`${t}_phase2_dh_group_numbers`]: [19],
  [`${t}_log_options`]: { cloudwatch_log_options: { log_enabled: true, log_group_arn: "arn" } },
});
const notebook = (over: Record<string, unknown>) => ({
  n: {
    name: "n",
    instance_type: "ml.t3.medium",
    role_arn: "arn",
    subnet_id: "subnet-1",
    direct_internet_access: "Disabled",
    root_access: "Disabled",
    kms_key_id: "arn:key",
    ...over,
  },
});
const lt = (over: Record<string, unknown>) => ({
  t: { metadata_options: { http_tokens: "required" }, network_interfaces: [{ device_index: 0, associate_public_ip_address: "false" }], ...over },
});
const subnet = (name: string, tier: string, az: string) => ({
  [name]: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.0.0.0/24", availability_zone: az, tags: { Tier: tier } },
});
const endpointIn = (azs: string[]) => ({
  aws_vpc: vpc,
  aws_subnet: Object.assign({}, ...azs.map((az, i) => subnet(`s${i}`, "private", az))),
  aws_vpc_endpoint: {
    e: { vpc_id: "${aws_vpc.v.id}", service_name: "com.amazonaws.us-east-1.sts", vpc_endpoint_type: "Interface", private_dns_enabled: true },
  },
  aws_vpc_endpoint_subnet_association: Object.assign(
    {},
    ...azs.map((_, i) => ({ [`a${i}`]: { vpc_endpoint_id: "${aws_vpc_endpoint.e.id}", subnet_id: `\${aws_subnet.s${i}.id}` } })),
  ),
});
const privateCompute = (withS3: boolean) => ({
  aws_vpc: vpc,
  aws_subnet: subnet("p", "private", "us-east-1a"),
  aws_route_table: { rt: { vpc_id: "${aws_vpc.v.id}", tags: { Tier: "private" } } },
  aws_route_table_association: { a: { subnet_id: "${aws_subnet.p.id}", route_table_id: "${aws_route_table.rt.id}" } },
  ...(withS3
    ? {
        aws_vpc_endpoint: { s3: { vpc_id: "${aws_vpc.v.id}", service_name: "com.amazonaws.us-east-1.s3", vpc_endpoint_type: "Gateway" } },
        aws_vpc_endpoint_route_table_association: { x: { vpc_endpoint_id: "${aws_vpc_endpoint.s3.id}", route_table_id: "${aws_route_table.rt.id}" } },
      }
    : {}),
});
const routeIn = (tier: string, target: Record<string, string>) => ({
  aws_vpc: vpc,
  aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.v.id}" } },
  aws_nat_gateway: { nat: { subnet_id: "subnet-1", allocation_id: "eipalloc-1" } },
  aws_route_table: { rt: { vpc_id: "${aws_vpc.v.id}", tags: { Tier: tier } } },
  aws_route: { r: { route_table_id: "${aws_route_table.rt.id}", destination_cidr_block: "0.0.0.0/0", ...target } },
});

/** A notebook in a private subnet whose group may reach the internet; the route table routes out through NAT, or nowhere. */
const egressIntent = (withNatRoute: boolean) => ({
  aws_vpc: vpc,
  aws_internet_gateway: { igw: { vpc_id: "${aws_vpc.v.id}" } },
  aws_subnet: { ...subnet("pub", "public", "us-east-1a"), ...subnet("priv", "private", "us-east-1a") },
  aws_nat_gateway: { nat: { subnet_id: "${aws_subnet.pub.id}", allocation_id: "eipalloc-1" } },
  aws_route_table: { pubrt: { vpc_id: "${aws_vpc.v.id}", tags: { Tier: "public" } }, privrt: { vpc_id: "${aws_vpc.v.id}", tags: { Tier: "private" } } },
  aws_route: {
    pubdefault: { route_table_id: "${aws_route_table.pubrt.id}", destination_cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" },
    ...(withNatRoute
      ? { privdefault: { route_table_id: "${aws_route_table.privrt.id}", destination_cidr_block: "0.0.0.0/0", nat_gateway_id: "${aws_nat_gateway.nat.id}" } }
      : {}),
  },
  aws_route_table_association: {
    a1: { subnet_id: "${aws_subnet.pub.id}", route_table_id: "${aws_route_table.pubrt.id}" },
    a2: { subnet_id: "${aws_subnet.priv.id}", route_table_id: "${aws_route_table.privrt.id}" },
  },
  aws_security_group: sg("notebooks"),
  aws_vpc_security_group_egress_rule: {
    e: { security_group_id: "${aws_security_group.g.id}", description: "pip", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" },
  },
  aws_sagemaker_notebook_instance: notebook({ subnet_id: "${aws_subnet.priv.id}", security_groups: ["${aws_security_group.g.id}"] }),
});
const nodes = (propagate: boolean, templateTags: Record<string, string>) => ({
  aws_launch_template: {
    t: { tag_specifications: ["instance", "volume", "network-interface"].map((resource_type) => ({ resource_type, tags: templateTags })) },
  },
  aws_autoscaling_group: {
    g: {
      min_size: 0,
      max_size: 1,
      launch_template: { id: "${aws_launch_template.t.id}" },
      tag: Object.entries(TAGS).map(([key, value]) => ({ key, value, propagate_at_launch: propagate })),
    },
  },
});

/** A subnet in the VPC's default NACL, which allows all traffic with the VPC inbound, and outbound too when `egress`. */
const subnetOnDefaultNacl = (egress: boolean) => {
  const all = [{ rule_no: 100, action: "allow", protocol: "-1", cidr_block: "10.0.0.0/16", from_port: 0, to_port: 0 }];
  return doc({
    aws_vpc: vpc,
    aws_subnet: { s: { vpc_id: "${aws_vpc.v.id}", cidr_block: "10.0.0.0/24", tags: { Tier: "private" } } },
    aws_default_network_acl: { d: { default_network_acl_id: "${aws_vpc.v.default_network_acl_id}", ingress: all, egress: egress ? all : [] } },
  });
};

/** A load balancer in two subnets of `tier`, with its listeners; `lb` overrides its attributes. */
export const balancer = (lb: Record<string, unknown>, listeners: Record<string, Record<string, unknown>>, tier = "private", environment = "sandbox") =>
  doc(
    {
      aws_vpc: vpc,
      aws_subnet: { ...subnet("a", tier, "us-east-1a"), ...subnet("b", tier, "us-east-1b") },
      aws_lb: {
        lb: {
          name: "inference",
          internal: tier !== "public",
          load_balancer_type: "application",
          subnets: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"],
          drop_invalid_header_fields: true,
          enable_deletion_protection: true,
          access_logs: { bucket: "logs", enabled: true },
          ...lb,
        },
      },
      aws_lb_listener: Object.fromEntries(Object.entries(listeners).map(([k, v]) => [k, { load_balancer_arn: "${aws_lb.lb.arn}", ...v }])),
    },
    environment,
  );
export const https = {
  port: 443,
  protocol: "HTTPS",
  certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/x",
  ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
};
const redirect = {
  port: 80,
  protocol: "HTTP",
  default_action: [{ type: "redirect", redirect: [{ protocol: "HTTPS", port: "443", status_code: "HTTP_301" }] }],
};
/** An inbound resolver endpoint in subnets of the given AZs, whose group admits `ports` from on-premises. */
export const resolverIn = (azs: string[], ports: [number, number]) => ({
  aws_vpc: vpc,
  aws_subnet: Object.assign({}, ...azs.map((az, i) => subnet(`s${i}`, "private", az))),
  aws_security_group: sg("resolver"),
  aws_vpc_security_group_ingress_rule: ingress({ ip_protocol: "udp", from_port: ports[0], to_port: ports[1], cidr_ipv4: "172.16.0.0/16" }),
  aws_route53_resolver_endpoint: {
    e: {
      name: "in",
      direction: "INBOUND",
      security_group_ids: ["${aws_security_group.g.id}"],
      ip_address: azs.map((_, i) => ({ subnet_id: `\${aws_subnet.s${i}.id}` })),
    },
  },
});
export const dxAssociation = (prefixes: string[]) => ({
  aws_vpc: vpc,
  aws_vpn_gateway: { vgw: { vpc_id: "${aws_vpc.v.id}" } },
  aws_dx_gateway: { dx: { name: "dx", amazon_side_asn: "64600" } },
  aws_dx_gateway_association: {
    a: { dx_gateway_id: "${aws_dx_gateway.dx.id}", associated_gateway_id: "${aws_vpn_gateway.vgw.id}", allowed_prefixes: prefixes },
  },
});

export const FIXTURES: Record<RuleId, { pass: TfJsonShape; fail: TfJsonShape }> = {
  "MLN-VPC-1": {
    pass: doc({ aws_vpc: vpc, aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}", traffic_type: "ALL" } } }),
    fail: doc({ aws_vpc: vpc }),
  },
  "MLN-VPC-2": {
    pass: doc({ aws_vpc: vpc, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [], egress: [] } } }),
    fail: doc({ aws_vpc: vpc, aws_default_security_group: { d: { vpc_id: "${aws_vpc.v.id}", ingress: [{ protocol: "-1", self: true }], egress: [] } } }),
  },
  "MLN-VPC-3": {
    pass: doc({ aws_subnet: { s: { cidr_block: "10.0.0.0/24", map_public_ip_on_launch: true, tags: { Tier: "public" } } } }),
    fail: doc({ aws_subnet: { s: { cidr_block: "10.0.0.0/24", map_public_ip_on_launch: true, tags: { Tier: "private" } } } }),
  },
  "MLN-SG-1": {
    pass: doc({ aws_security_group: sg("g"), aws_vpc_security_group_ingress_rule: ingress({ cidr_ipv4: "10.0.0.0/16" }) }),
    fail: doc({ aws_security_group: sg("g"), aws_vpc_security_group_ingress_rule: ingress({ cidr_ipv6: "::/0" }) }),
  },
  "MLN-SG-2": {
    pass: doc({ aws_security_group: sg("g"), aws_vpc_security_group_ingress_rule: ingress({ from_port: 22, to_port: 22, cidr_ipv4: "10.0.0.0/8" }) }),
    fail: doc({
      aws_security_group: {
        g: { name: "g", description: "legacy", ingress: [{ from_port: 3389, to_port: 3389, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"], description: "rdp" }] },
      },
    }),
  },
  "MLN-SG-3": {
    pass: doc({
      aws_security_group: sg("g"),
      aws_vpc_security_group_egress_rule: {
        e: { security_group_id: "${aws_security_group.g.id}", description: "https", ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" },
      },
    }),
    fail: doc({
      aws_security_group: sg("g"),
      aws_vpc_security_group_egress_rule: {
        e: { security_group_id: "${aws_security_group.g.id}", description: "all", ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" },
      },
    }),
  },
  "MLN-SG-4": {
    pass: doc({ aws_security_group: sg("described"), aws_vpc_security_group_ingress_rule: ingress({ cidr_ipv4: "10.0.0.0/16" }) }),
    fail: doc({ aws_security_group: sg("Managed by Terraform"), aws_vpc_security_group_ingress_rule: ingress({ cidr_ipv4: "10.0.0.0/16", description: "" }) }),
  },
  "MLN-NACL-2": {
    // A subnet on the VPC's default NACL: with rules both ways it can talk; with inbound rules only, nothing answers it.
    pass: subnetOnDefaultNacl(true),
    fail: subnetOnDefaultNacl(false),
  },
  "MLN-NACL-1": {
    pass: doc({
      aws_network_acl_rule: {
        r: {
          network_acl_id: "acl-1",
          rule_number: 100,
          egress: false,
          protocol: "tcp",
          rule_action: "allow",
          cidr_block: "0.0.0.0/0",
          from_port: 443,
          to_port: 443,
        },
      },
    }),
    fail: doc({
      aws_network_acl_rule: {
        r: {
          network_acl_id: "acl-1",
          rule_number: 100,
          egress: false,
          protocol: "-1",
          rule_action: "allow",
          cidr_block: "0.0.0.0/0",
          from_port: 0,
          to_port: 0,
        },
      },
    }),
  },
  "MLN-RT-1": {
    pass: doc(routeIn("public", { gateway_id: "${aws_internet_gateway.igw.id}" })),
    fail: doc(routeIn("private", { gateway_id: "${aws_internet_gateway.igw.id}" })),
  },
  "MLN-RT-2": {
    pass: doc({ aws_vpc: vpc, aws_route_table: { rt: { vpc_id: "${aws_vpc.v.id}", tags: { Tier: "isolated" } } } }),
    fail: doc(routeIn("isolated", { nat_gateway_id: "${aws_nat_gateway.nat.id}" })),
  },
  "MLN-RT-3": {
    pass: doc(egressIntent(true)),
    fail: doc(egressIntent(false)),
  },
  "MLN-VPCE-1": {
    pass: doc(endpointIn(["us-east-1a"])),
    fail: doc({ ...endpointIn(["us-east-1a"]), aws_vpc: { v: { cidr_block: "10.0.0.0/16", enable_dns_hostnames: false } } }),
  },
  "MLN-VPCE-2": {
    pass: doc(endpointIn(["us-east-1a", "us-east-1b"]), "prod"),
    fail: doc(endpointIn(["us-east-1a"]), "prod"),
  },
  "MLN-VPCE-3": {
    pass: doc(privateCompute(true)),
    fail: doc(privateCompute(false)),
  },
  "MLN-VPN-1": {
    pass: doc({ aws_vpn_connection: { c: { ...hardened("tunnel1"), ...hardened("tunnel2") } } }),
    fail: doc({
      aws_vpn_connection: {
        c: { ...hardened("tunnel1"), ...hardened("tunnel2"), tunnel2_ike_versions: ["ikev1", "ikev2"], tunnel1_phase1_dh_group_numbers: [2, 14] },
      },
    }),
  },
  "MLN-VPN-2": {
    pass: doc({ aws_vpn_connection: { c: { ...hardened("tunnel1"), ...hardened("tunnel2") } } }),
    fail: doc({ aws_vpn_connection: { c: { ...hardened("tunnel1"), ...hardened("tunnel2"), tunnel2_log_options: undefined } } }),
  },
  "MLN-EC2-1": { pass: doc({ aws_launch_template: lt({}) }), fail: doc({ aws_launch_template: lt({ metadata_options: { http_tokens: "optional" } }) }) },
  "MLN-EC2-2": {
    pass: doc({ aws_launch_template: lt({}) }),
    fail: doc({ aws_launch_template: lt({ network_interfaces: [{ device_index: 0, associate_public_ip_address: "true" }] }) }),
  },
  "MLN-EC2-3": {
    pass: doc({ aws_launch_template: lt({}) }),
    fail: doc({ aws_launch_template: lt({ network_interfaces: [{ device_index: 0 }, { device_index: 1 }] }) }),
  },
  "MLN-EC2-4": {
    pass: doc({
      aws_launch_template: lt({
        network_interfaces: [
          { device_index: 0, interface_type: "interface" },
          { device_index: 1, interface_type: "efa-only" },
        ],
      }),
    }),
    fail: doc({ aws_launch_template: lt({ network_interfaces: [{ device_index: 0, associate_public_ip_address: "false" }, { device_index: 1 }] }) }),
  },
  "MLN-SM-1": {
    pass: doc({ aws_sagemaker_notebook_instance: notebook({}) }),
    fail: doc({ aws_sagemaker_notebook_instance: notebook({ subnet_id: undefined }) }),
  },
  "MLN-SM-2": {
    pass: doc({ aws_sagemaker_notebook_instance: notebook({}) }),
    fail: doc({ aws_sagemaker_notebook_instance: notebook({ direct_internet_access: undefined }) }),
  },
  "MLN-SM-3": {
    pass: doc({ aws_sagemaker_notebook_instance: notebook({}) }),
    fail: doc({ aws_sagemaker_notebook_instance: notebook({ root_access: "Enabled" }) }),
  },
  "MLN-SM-4": {
    pass: doc({ aws_sagemaker_notebook_instance: notebook({}) }),
    fail: doc({ aws_sagemaker_notebook_instance: notebook({ kms_key_id: undefined }) }),
  },
  "MLN-SM-5": {
    pass: doc({
      aws_sagemaker_domain: { d: { domain_name: "d", auth_mode: "IAM", vpc_id: "vpc-1", subnet_ids: ["subnet-1"], app_network_access_type: "VpcOnly" } },
    }),
    fail: doc({ aws_sagemaker_domain: { d: { domain_name: "d", auth_mode: "IAM", vpc_id: "vpc-1", subnet_ids: ["subnet-1"] } } }),
  },
  "MLN-LOG-1": {
    pass: doc({ aws_cloudwatch_log_group: { g: { name: "g", retention_in_days: 30, kms_key_id: "arn" } } }),
    fail: doc({ aws_cloudwatch_log_group: { g: { name: "g", kms_key_id: "arn" } } }),
  },
  "MLN-LOG-2": {
    pass: doc({ aws_cloudwatch_log_group: { g: { name: "g", retention_in_days: 30, kms_key_id: "arn" } } }),
    fail: doc({ aws_cloudwatch_log_group: { g: { name: "g", retention_in_days: 30 } } }),
  },
  "MLN-TAG-2": {
    pass: doc(nodes(true, TAGS)),
    fail: doc(nodes(false, { Name: "node" })),
  },
  "MLN-TAG-1": {
    pass: doc({ aws_vpc: vpc }),
    fail: {
      provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Project: "p" } }] }] },
      resource: { aws_vpc: { v: { cidr_block: "10.0.0.0/16", tags: { Owner: "o" } } } },
    },
  },
  "MLN-ELB-1": {
    pass: balancer({}, { tls: https, plain: redirect }),
    fail: balancer({}, { tls: https, plain: { port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "arn" }] } }),
  },
  "MLN-ELB-2": {
    pass: balancer({}, { tls: https }),
    fail: balancer({}, { tls: { ...https, ssl_policy: "ELBSecurityPolicy-2016-08" }, bare: { ...https, port: 8443, ssl_policy: undefined } }),
  },
  "MLN-ELB-3": {
    pass: balancer({ desync_mitigation_mode: "strictest" }, { tls: https }),
    fail: balancer({ drop_invalid_header_fields: false, desync_mitigation_mode: "monitor" }, { tls: https }),
  },
  "MLN-ELB-4": {
    pass: balancer({}, { tls: https }),
    fail: balancer({ access_logs: undefined }, { tls: https }),
  },
  "MLN-ELB-5": {
    pass: balancer({ internal: false }, { tls: https }, "public"),
    fail: balancer({ internal: false }, { tls: https }, "private"),
  },
  "MLN-ELB-6": {
    pass: balancer({ enable_deletion_protection: false }, { tls: https }, "private", "sandbox"),
    fail: balancer({ enable_deletion_protection: false }, { tls: https }, "private", "prod"),
  },
  "MLN-ELB-7": {
    pass: balancer({}, { tls: https }),
    fail: balancer({ subnets: ["${aws_subnet.a.id}"] }, { tls: https }),
  },
  "MLN-DNS-1": {
    pass: doc(resolverIn(["us-east-1a", "us-east-1b"], [53, 53])),
    fail: doc(resolverIn(["us-east-1a"], [0, 65535])),
  },
  "MLN-DX-1": {
    // With a virtual private gateway a prefix as wide as the VPC or wider passes; a narrower one lets nothing through.
    pass: doc(dxAssociation(["10.0.0.0/16", "10.0.0.0/15"])),
    fail: doc(dxAssociation(["10.0.0.0/16", "10.0.0.0/24"])),
  },
};
