import { setupJest } from "../testing";

// Registers cdktf's toHaveResource, toHaveResourceWithProperties, ... and the network matchers (toReach, toAllowFlow, toPassCompliance),
// exactly as users' apps do through ml-network-cdktf/testing.
setupJest();

// cdktf records a full stack trace for every token it creates (Intrinsic.creationStack, shown only when a
// token cannot be resolved). Under jest each trace is mapped through source maps, which cost about a third
// of the suite's CPU time; the tests never read those traces.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
stackTrace.captureStackTrace = () => [];
