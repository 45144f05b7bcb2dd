/**
 * The guardrail policy for data-science roles: SageMaker resources are
 * created inside the VPC or not at all. Deny-only, so it can be attached next
 * to any allow policy (or used as a permissions boundary's companion).
 *
 * Every condition key is one the Service Authorization Reference lists for
 * every action of its statement (condition-keys.ts; a test holds the two
 * together). A missing key means the request did not set the option, so each
 * requirement is denied both when the key is absent (Null) and when it is
 * false.
 *
 * What the keys cannot express: UpdateDomain carries no
 * sagemaker:AppNetworkAccessType, so no condition can stop a switch to
 * PublicInternetOnly. Data-science roles therefore may not update domains at
 * all (the platform's deployment role, which carries no guardrail, does);
 * the AWS Config rule SAGEMAKER_DOMAIN_IN_VPC reports any domain that drifts.
 * UpdateNotebookInstance cannot change direct internet access, so only its
 * root access is guarded.
 */
import type { PolicyDocument, PolicyStatement } from "../core/policy";
import type { SageMakerAction } from "./condition-keys";

export interface GuardrailOptions {
  /** Also require network isolation on jobs and models (no outbound network from the container). */
  readonly requireNetworkIsolation: boolean;
}

const JOBS: SageMakerAction[] = ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob", "sagemaker:CreateHyperParameterTuningJob"];
const JOBS_AND_MODELS: SageMakerAction[] = [...JOBS, "sagemaker:CreateModel"];

function deny(sid: string, actions: SageMakerAction[], condition?: Record<string, Record<string, string>>): PolicyStatement {
  return { Sid: sid, Effect: "Deny", Action: actions, Resource: "*", ...(condition ? { Condition: condition } : {}) };
}

export function sagemakerGuardrailPolicy(o: GuardrailOptions): PolicyDocument {
  const statements: PolicyStatement[] = [
    deny("DenyJobsAndModelsOutsideTheVpc", JOBS_AND_MODELS, { Null: { "sagemaker:VpcSubnets": "true" } }),
    deny("DenyJobsWithoutInterContainerEncryption", JOBS, { Bool: { "sagemaker:InterContainerTrafficEncryption": "false" } }),
    deny("DenyJobsThatOmitInterContainerEncryption", JOBS, { Null: { "sagemaker:InterContainerTrafficEncryption": "true" } }),
    deny("DenyNotebooksOutsideTheVpc", ["sagemaker:CreateNotebookInstance"], { Null: { "sagemaker:VpcSubnets": "true" } }),
    deny("DenyNotebooksWithDirectInternetAccess", ["sagemaker:CreateNotebookInstance"], {
      StringEquals: { "sagemaker:DirectInternetAccess": "Enabled" },
    }),
    deny("DenyNotebooksWithRootAccess", ["sagemaker:CreateNotebookInstance", "sagemaker:UpdateNotebookInstance"], {
      StringEquals: { "sagemaker:RootAccess": "Enabled" },
    }),
    // Both options default to Enabled when a request leaves them out.
    deny("DenyNotebooksThatOmitDirectInternetAccess", ["sagemaker:CreateNotebookInstance"], { Null: { "sagemaker:DirectInternetAccess": "true" } }),
    deny("DenyNotebooksThatOmitRootAccess", ["sagemaker:CreateNotebookInstance"], { Null: { "sagemaker:RootAccess": "true" } }),
    // Studio domains default to PublicInternetOnly; StringNotEquals also matches an omitted key.
    deny("DenyDomainsOutsideTheVpc", ["sagemaker:CreateDomain"], { StringNotEquals: { "sagemaker:AppNetworkAccessType": "VpcOnly" } }),
    // UpdateDomain has no sagemaker:AppNetworkAccessType key: no condition could catch a switch to the internet.
    deny("DenyDomainUpdates", ["sagemaker:UpdateDomain"]),
  ];
  if (o.requireNetworkIsolation) {
    statements.push(
      deny("DenyJobsAndModelsWithoutNetworkIsolation", JOBS_AND_MODELS, { Bool: { "sagemaker:NetworkIsolation": "false" } }),
      deny("DenyJobsAndModelsThatOmitNetworkIsolation", JOBS_AND_MODELS, { Null: { "sagemaker:NetworkIsolation": "true" } }),
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}
