// English texts of the LiteLLM routing export (the `litellm` namespace of en.ts). litellm-zh.ts has the same keys.
export const litellmEn = {
  open: 'LiteLLM config',
  title: 'LiteLLM routing config',
  intro:
    'A LiteLLM router model_list with one deployment per account and region, its TPM and RPM limits from the cached quotas. Credentials are referenced, not embedded: fill in the .env template for the access-key accounts.',
  models: 'Models to include',
  noModels: 'No model is shown on the dashboard.',
  chooseModel: 'Choose at least one model.',
  safetyFactor: 'Safety factor',
  safetyFactorHint: 'Limits are floor(quota × factor); more than 0, at most 1.',
  safetyFactorInvalid: 'Enter a number greater than 0 and at most 1.',
  useHeadroom: 'Use the 24-hour headroom',
  useHeadroomHint: 'Where usage is known, the limit is the quota minus the peak minute of the last 24 hours.',
  downloadYaml: 'Download YAML',
  downloadEnv: 'Download .env template',
  downloadSecrets: 'With credentials…',
  saved: 'Saved {{name}}.',
  secretsTitle: 'Download with credentials?',
  secretsWarning:
    'The file will contain the accounts’ AWS keys and external ids in clear text. The download is recorded in the audit log. Keep the file out of version control and delete it once loaded.',
  secretsConfirm: 'Download with credentials',
};
