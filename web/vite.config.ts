/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

// The dev server proxies /api to a locally running server (AP_DEV_API, default 127.0.0.1:8080).
const devApi = process.env.AP_DEV_API ?? 'http://127.0.0.1:8080';

// /api/docs: Swagger UI from the installed swagger-ui-dist (no CDN), copied into dist/api-docs/ with our page and
// initializer (scripts/api-docs/); the server serves that folder at /api/docs and the page loads /api/openapi.json.
const SWAGGER_UI_FILES = [
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'index.css',
  'favicon-16x16.png',
  'favicon-32x32.png',
  'LICENSE',
  'NOTICE',
];
function apiDocs(): Plugin {
  let outDir = 'dist';
  return {
    name: 'account-platform-api-docs',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle() {
      const from = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
      const to = join(outDir, 'api-docs');
      mkdirSync(to, { recursive: true });
      for (const file of SWAGGER_UI_FILES) cpSync(join(from, file), join(to, file));
      const own = fileURLToPath(new URL('./scripts/api-docs', import.meta.url));
      for (const file of ['index.html', 'swagger-initializer.js']) cpSync(join(own, file), join(to, file));
    },
  };
}

export default defineConfig({
  plugins: [react(), apiDocs()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { host: '127.0.0.1', proxy: { '/api': devApi } },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2020',
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's comments confuse Rollup's annotation parser; harmless, and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: {
        // React and the router change rarely: a separate chunk caches well across deploys.
        manualChunks(id) {
          if (/node_modules\/(react|react-dom|scheduler|react-router|cookie|set-cookie-parser)\//.test(id))
            return 'react';
          if (/node_modules\/(i18next|react-i18next|@tanstack|zod)\//.test(id)) return 'vendor';
          return undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 15000,
  },
});
