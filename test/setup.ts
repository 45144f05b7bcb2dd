import { Testing } from "cdktf";

// Registers toHaveResource, toHaveResourceWithProperties, toHaveDataSource, toHaveProvider, ...
Testing.setupJest();
