// The web app's contract types and zod schemas, generated from docs/openapi.yaml (the one source of truth).
// `npm run gen:api` writes src/lib/api/generated/; `npm run gen:api:check` fails when that output is stale.
// AP_GEN_API_OUT redirects the output (the check generates into a temporary directory and compares).
import { defineConfig } from '@hey-api/openapi-ts';

export default defineConfig({
  input: '../docs/openapi.yaml',
  output: { path: process.env.AP_GEN_API_OUT ?? 'src/lib/api/generated' },
  plugins: ['@hey-api/typescript', 'zod'],
});
