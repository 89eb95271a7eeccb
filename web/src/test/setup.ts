import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import i18n from 'i18next';
import { initI18n } from '@/lib/i18n';
import { en } from '@/lib/locales/en';
import { zh } from '@/lib/locales/zh';
import { server } from './server';

initI18n('en', { en, zh });
// The machine is shared with C++ builds: give findBy*/waitFor room before calling a test failed.
configure({ asyncUtilTimeout: 10000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(async () => {
  window.localStorage.clear();
  await i18n.changeLanguage('en');
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());
