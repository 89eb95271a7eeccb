import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as zodConfig } from 'zod';
import { initI18n } from '@/lib/i18n';
import { App } from '@/app/app';
import './styles.css';

// No `new Function` probe: the server's Content-Security-Policy has no 'unsafe-eval', and zod's probe of it shows
// up as a CSP violation (a DevTools issue) on every load although zod catches it.
zodConfig({ jitless: true });
initI18n();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
