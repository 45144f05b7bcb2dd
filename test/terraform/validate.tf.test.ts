/**
 * Opt-in: `terraform init` + `terraform validate` on every environment.
 *
 * Needs the hashicorp/aws provider, which `terraform init` downloads from the
 * Terraform registry; offline machines cannot, so this suite runs only with
 * RUN_TERRAFORM_TESTS=1:
 *
 *   RUN_TERRAFORM_TESTS=1 npm run test:terraform
 */
import { Testing } from "cdktf";
import { ENVIRONMENTS, MlPlatformStack } from "../../environments";

const enabled = process.env.RUN_TERRAFORM_TESTS === "1";
const reason = "set RUN_TERRAFORM_TESTS=1 on a machine that can reach the Terraform registry (terraform init downloads hashicorp/aws)";

if (!enabled) {
  // Reported as skipped (not passed), with the reason in its name and on the console.
  console.warn(`terraform validate (opt-in) skipped: ${reason}`);
  it.skip(`terraform validate against the registry provider (skipped: ${reason})`, () => undefined);
}

(enabled ? describe : describe.skip)("terraform validate (opt-in)", () => {
  it.each(ENVIRONMENTS.map((e) => [e.name]))("%s is valid Terraform", (name) => {
    const env = ENVIRONMENTS.find((e) => e.name === name)!;
    const stack = new MlPlatformStack(Testing.app(), env);
    expect(Testing.fullSynth(stack)).toBeValidTerraform();
  });
});
