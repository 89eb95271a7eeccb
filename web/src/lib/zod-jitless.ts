// Imported first by main.tsx, before any module that builds a schema: zod decides per schema, when it is created,
// whether to probe `new Function` for its fast path. The server's Content-Security-Policy has no 'unsafe-eval',
// so the probe is a CSP violation (a DevTools issue, Lighthouse best practices) on every load although zod catches
// it. jitless skips the probe; parsing stays correct.
// zod keeps its settings in globalThis.__zod_globalConfig and adopts an object already there when it loads (zod 4,
// v4/core/core.js), so this sets jitless WITHOUT importing zod: zod and the schemas stay out of the first load's
// JS and arrive with the pages that need them, already jitless.
declare global {
  var __zod_globalConfig: { jitless?: boolean } | undefined;
}

globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };

export {};
