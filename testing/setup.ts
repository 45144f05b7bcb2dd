/**
 * Jest setup file: `setupFilesAfterEnv: ["ml-network-cdktf/testing/setup"]`
 * registers cdktf's matchers and the network matchers.
 */
import { setupJest } from "./index";

setupJest();
