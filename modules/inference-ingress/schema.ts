/** Shape of InferenceLoadBalancer props, with documented defaults. */
import { z } from "zod";
import { uniqueList } from "../core/schema";
import { DEFAULT_SERVING_PORTS } from "../security-groups";
import type { Exact } from "../core/types";
import { DEFAULT_SSL_POLICY } from "./ssl-policies";
import type { InferenceLoadBalancerConfig } from "./index";

/** Where the listeners are when none are named: one HTTPS (ALB) or TLS (NLB) listener on 443. */
export const DEFAULT_LISTENERS = { https: { port: 443 } } as const;

/**
 * The health check path when none is given: SageMaker-style serving
 * containers answer GET /ping ("Custom Inference Code with Hosting Services",
 * How your container should respond to health check (ping) requests,
 * docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html).
 */
export const DEFAULT_HEALTH_CHECK_PATH = "/ping";

export const inferenceLoadBalancerConfigSchema = z.strictObject({
  type: z.enum(["application", "network"]).default("application"),
  scheme: z.enum(["internal", "internet-facing"]).default("internal"),
  internetFacingReason: z.string().optional(),
  name: z.string().optional(),
  certificateArn: z.string(),
  sslPolicy: z.string().default(DEFAULT_SSL_POLICY),
  unlistedSslPolicyReason: z.string().optional(),
  servingPort: z.number().default(DEFAULT_SERVING_PORTS[0]),
  targetTls: z.boolean().default(false),
  listeners: z
    .record(z.string(), z.strictObject({ port: z.number(), targetPort: z.number().optional() }))
    .default(() => structuredClone(DEFAULT_LISTENERS) as Record<string, { port: number; targetPort?: number }>),
  callerCidrs: uniqueList(z.string()).optional(),
  availabilityZones: uniqueList(z.string()).optional(),
  deletionProtection: z.boolean().default(false),
  accessLogs: z.strictObject({ bucket: z.string(), prefix: z.string().optional() }).optional(),
  healthCheck: z
    .strictObject({
      path: z.string().default(DEFAULT_HEALTH_CHECK_PATH),
      port: z.number().optional(),
      matcher: z.string().default("200"),
    })
    .prefault({}),
  desyncMitigationMode: z.enum(["defensive", "strictest"]).optional(),
  idleTimeoutSeconds: z.number().optional(),
  crossZoneLoadBalancing: z.boolean().optional(),
});

export type ResolvedInferenceLoadBalancerConfig = z.output<typeof inferenceLoadBalancerConfigSchema>;
const configMatchesSchema: Exact<z.input<typeof inferenceLoadBalancerConfigSchema>, InferenceLoadBalancerConfig> = true;
void configMatchesSchema;
