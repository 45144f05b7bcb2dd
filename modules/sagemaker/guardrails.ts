/**
 * The guardrail policy for data-science roles: SageMaker resources are
 * created inside the VPC or not at all. Deny-only, so it can be attached next
 * to any allow policy (or used as a permissions boundary's companion).
 *
 * Condition keys (Service Authorization Reference, Amazon SageMaker):
 * sagemaker:VpcSubnets, sagemaker:NetworkIsolation,
 * sagemaker:InterContainerTrafficEncryption, sagemaker:DirectInternetAccess,
 * sagemaker:RootAccess, sagemaker:AppNetworkAccessType. A missing key means
 * the request did not set the option, so each requirement is denied both when
 * the key is absent (Null) and when it is false.
 */
import type { PolicyDocument, PolicyStatement } from "../core/policy";

export interface GuardrailOptions {
  /** Also require network isolation on jobs and models (no outbound network from the container). */
  readonly requireNetworkIsolation: boolean;
}

const JOBS = ["sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob", "sagemaker:CreateHyperParameterTuningJob"];
const JOBS_AND_MODELS = [...JOBS, "sagemaker:CreateModel"];

function deny(sid: string, actions: string[], condition: Record<string, Record<string, string>>): PolicyStatement {
  return { Sid: sid, Effect: "Deny", Action: actions, Resource: "*", Condition: condition };
}

export function sagemakerGuardrailPolicy(o: GuardrailOptions): PolicyDocument {
  const statements: PolicyStatement[] = [
    deny("DenyJobsAndModelsOutsideTheVpc", JOBS_AND_MODELS, { Null: { "sagemaker:VpcSubnets": "true" } }),
    deny("DenyJobsWithoutInterContainerEncryption", JOBS, { Bool: { "sagemaker:InterContainerTrafficEncryption": "false" } }),
    deny("DenyJobsThatOmitInterContainerEncryption", JOBS, { Null: { "sagemaker:InterContainerTrafficEncryption": "true" } }),
    deny("DenyNotebooksOutsideTheVpc", ["sagemaker:CreateNotebookInstance"], { Null: { "sagemaker:VpcSubnets": "true" } }),
    deny("DenyNotebooksWithDirectInternetAccess", ["sagemaker:CreateNotebookInstance", "sagemaker:UpdateNotebookInstance"], {
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
    // On update the key is present only when the request changes it.
    deny("DenyDomainsSwitchedToPublicInternet", ["sagemaker:UpdateDomain"], { StringEquals: { "sagemaker:AppNetworkAccessType": "PublicInternetOnly" } }),
  ];
  if (o.requireNetworkIsolation) {
    statements.push(
      deny("DenyJobsAndModelsWithoutNetworkIsolation", JOBS_AND_MODELS, { Bool: { "sagemaker:NetworkIsolation": "false" } }),
      deny("DenyJobsAndModelsThatOmitNetworkIsolation", JOBS_AND_MODELS, { Null: { "sagemaker:NetworkIsolation": "true" } }),
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}
