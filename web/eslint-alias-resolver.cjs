// An import resolver (eslint-module-utils interface v2) for eslint-plugin-boundaries: maps the `@/` alias of
// tsconfig.json ("@/*": ["src/*"]) to src/ and lets eslint-import-resolver-node resolve the rest, with the
// TypeScript extensions. Needed because no TypeScript resolver is installed.
const path = require('node:path');
const node = require('eslint-import-resolver-node');

const EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.json'];

exports.interfaceVersion = 2;

exports.resolve = function resolve(source, file, config = {}) {
  const src = config.src ?? path.join(__dirname, 'src');
  const target = source.startsWith('@/') ? path.join(src, source.slice(2)) : source;
  return node.resolve(target, file, { extensions: EXTENSIONS });
};
