// Which modules make up each entry/static chunk of the production build (rendered bytes, minified, before compression).
//   node scripts/chunk-modules.mjs [chunk-name-substring...]   (a throwaway build into ../build/chunk-modules;
//   dist/ untouched). Shows what a chunk carries, e.g. that the login page's (index-*, vendor-*) has no zod.
import { build } from 'vite';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const filters = process.argv.slice(2);
const report = {
  name: 'chunk-modules',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      if (filters.length && !filters.some((f) => chunk.fileName.includes(f))) continue;
      const mods = Object.entries(chunk.modules)
        .map(([id, m]) => [m.renderedLength, id.replace(/^.*\/web\//, '')])
        .filter(([n]) => n > 0)
        .sort((a, b) => b[0] - a[0]);
      const total = mods.reduce((s, [n]) => s + n, 0);
      console.log(`\n${chunk.fileName} ${total} B (imports: ${chunk.imports.join(', ')})`);
      for (const [n, id] of mods.slice(0, 40)) console.log(`  ${String(n).padStart(7)}  ${id}`);
    }
  },
};
await build({
  logLevel: 'warn',
  build: { outDir: join(dirname(fileURLToPath(import.meta.url)), '../../build/chunk-modules'), emptyOutDir: true },
  plugins: [report],
});
