/**
 * SageMaker condition keys per action, as the Service Authorization Reference
 * lists them ("Actions, resources, and condition keys for Amazon SageMaker",
 * docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html),
 * for the actions the guardrail policy names and the network keys it uses.
 * A condition on a key the action does not support never matches: a
 * StringEquals deny then never fires, and a StringNotEquals or Null deny
 * fires on every request. Checked against a generated copy of the reference
 * (cdk-iam-floyd's sagemaker statements), 2026-11.
 *
 * Notable gaps: UpdateDomain has no sagemaker:AppNetworkAccessType (nor
 * VpcSubnets); UpdateNotebookInstance has RootAccess but no
 * DirectInternetAccess; CreateModel has no InterContainerTrafficEncryption.
 */
export const SAGEMAKER_CONDITION_KEYS = {
  "sagemaker:CreateTrainingJob": [
    "sagemaker:VpcSubnets",
    "sagemaker:VpcSecurityGroupIds",
    "sagemaker:NetworkIsolation",
    "sagemaker:InterContainerTrafficEncryption",
  ],
  "sagemaker:CreateProcessingJob": [
    "sagemaker:VpcSubnets",
    "sagemaker:VpcSecurityGroupIds",
    "sagemaker:NetworkIsolation",
    "sagemaker:InterContainerTrafficEncryption",
  ],
  "sagemaker:CreateHyperParameterTuningJob": [
    "sagemaker:VpcSubnets",
    "sagemaker:VpcSecurityGroupIds",
    "sagemaker:NetworkIsolation",
    "sagemaker:InterContainerTrafficEncryption",
  ],
  "sagemaker:CreateModel": ["sagemaker:VpcSubnets", "sagemaker:VpcSecurityGroupIds", "sagemaker:NetworkIsolation"],
  "sagemaker:CreateNotebookInstance": ["sagemaker:VpcSubnets", "sagemaker:VpcSecurityGroupIds", "sagemaker:DirectInternetAccess", "sagemaker:RootAccess"],
  "sagemaker:UpdateNotebookInstance": ["sagemaker:RootAccess"],
  "sagemaker:CreateDomain": ["sagemaker:VpcSubnets", "sagemaker:VpcSecurityGroupIds", "sagemaker:AppNetworkAccessType"],
  "sagemaker:UpdateDomain": ["sagemaker:VpcSecurityGroupIds"],
} as const satisfies Record<string, readonly string[]>;

export type SageMakerAction = keyof typeof SAGEMAKER_CONDITION_KEYS;
