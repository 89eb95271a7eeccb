// Initial JS of the production build: the entry script of dist/index.html plus the chunks it preloads, gzipped
// (level 9) — what a first visit downloads before the login page can render — and Brotli (quality 11), what the
// server actually sends to browsers from the build's precompressed .br siblings. Lazy route chunks are listed apart.
//   node scripts/bundle-size.mjs [--json]
import { readFileSync, readdirSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set();
for (const m of html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)) initial.add(m[1]);
const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]);

const size = (file) => {
  const buf = readFileSync(join(dist, file));
  const br = brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length, br };
};
const js = [...initial].map(size);
const lazy = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') && !initial.has(`assets/${f}`))
  .map((f) => size(`assets/${f}`));
const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const result = {
  initial_js_gzip: sum(js, 'gzip'),
  initial_js_raw: sum(js, 'raw'),
  initial_js_br: sum(js, 'br'),
  css_gzip: sum(css.map(size), 'gzip'),
  lazy_js_gzip: sum(lazy, 'gzip'),
  lazy_chunks: lazy.length,
  initial: js,
};
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  for (const f of js)
    console.log(
      `initial  ${f.file.padEnd(36)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip ${kb(f.br).padStart(10)} br`,
    );
  console.log(
    `initial JS: ${kb(result.initial_js_gzip)} gzip, ${kb(result.initial_js_br)} br (${kb(result.initial_js_raw)} raw); CSS ${kb(result.css_gzip)} gzip`,
  );
  console.log(
    `lazy JS: ${lazy.length} chunks, ${kb(result.lazy_js_gzip)} gzip in all (largest ${kb(Math.max(...lazy.map((x) => x.gzip)))})`,
  );
  const budget = 250 * 1024;
  console.log(result.initial_js_gzip <= budget ? 'within the 250 KiB budget' : 'OVER the 250 KiB budget');
  if (result.initial_js_gzip > budget) process.exitCode = 1;
}
