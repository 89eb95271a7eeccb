// Fails (exit 1, naming the files) when src/lib/api/generated/ differs from what docs/openapi.yaml generates now:
// regenerates into a temporary directory with the same config and compares file by file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const committed = join(webRoot, 'src/lib/api/generated');
const fresh = mkdtempSync(join(tmpdir(), 'ap-gen-api-'));

const list = (dir) => {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1))
      .sort();
  } catch {
    return [];
  }
};

try {
  execFileSync(join(webRoot, 'node_modules/.bin/openapi-ts'), [], {
    cwd: webRoot,
    env: { ...process.env, AP_GEN_API_OUT: fresh },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const names = [...new Set([...list(committed), ...list(fresh)])].sort();
  const read = (dir, name) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const stale = names.filter((n) => read(committed, n) !== read(fresh, n));
  if (stale.length > 0) {
    console.error(`gen:api:check: the generated contract is stale (docs/openapi.yaml changed); run "npm run gen:api".`);
    for (const n of stale) console.error(`  src/lib/api/generated/${n}`);
    process.exit(1);
  }
  console.log(`gen:api:check: src/lib/api/generated/ matches docs/openapi.yaml (${names.length} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
