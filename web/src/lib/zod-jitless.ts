// Imported first by main.tsx, before any module that builds a schema: zod decides per schema, when it is created,
// whether to probe `new Function` for its fast path. The server's Content-Security-Policy has no 'unsafe-eval',
// so the probe is a CSP violation (a DevTools issue, Lighthouse best practices) on every load although zod catches
// it. jitless skips the probe; parsing stays correct.
import { config } from 'zod';

config({ jitless: true });
