/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

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

// Precompressed siblings: every text file of dist/ (the app and the API docs) of 1 KiB or more gets <file>.br (Brotli,
// quality 11) and <file>.gz (gzip level 9) when they are smaller. The server sends the one the browser accepts
// (Accept-Encoding, br first) with Content-Encoding and Vary, so nothing is compressed per request.
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|map|txt|webmanifest)$/;
function precompress(): Plugin {
  let outDir = 'dist';
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: 'account-platform-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      handler() {
        for (const file of walk(outDir)) {
          if (!COMPRESSIBLE.test(file)) continue;
          const raw = readFileSync(file);
          if (raw.length < 1024) continue;
          const br = brotliCompressSync(raw, {
            params: {
              [zlib.BROTLI_PARAM_QUALITY]: 11,
              [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
              [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          });
          if (br.length < raw.length) writeFileSync(`${file}.br`, br);
          const gz = gzipSync(raw, { level: 9 });
          if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
        }
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), apiDocs(), precompress()],
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
          if (/node_modules\/(i18next|react-i18next|@tanstack)\//.test(id)) return 'vendor';
          // zod apart: the login page does without it (its few bodies are checked by hand), the other pages load it.
          if (/node_modules\/zod\//.test(id)) return 'zod';
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
