import '@/lib/zod-jitless'; // first: before any schema is created (zod itself is not in this chunk)
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { detectLanguage, initI18n, loadLanguage } from '@/lib/i18n';
import { App } from '@/app/app';
import { createAppQueryClient, prefetchSession } from '@/app/providers';
import { preloadPage } from '@/app/routes';
import './styles.css';

const language = detectLanguage();
initI18n(language);
// The first screen needs the active language's texts and the session answer (and on the dashboard its code and
// data): the requests go out now, together, the texts first.
const texts = loadLanguage(language);
const queryClient = createAppQueryClient();
prefetchSession(queryClient);
preloadPage(window.location, queryClient);

function render() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App queryClient={queryClient} />
    </StrictMode>,
  );
}

// Render once the texts are there (a failed chunk load renders anyway: i18next then shows the keys, and the
// language switch can retry).
texts.then(render, render);
