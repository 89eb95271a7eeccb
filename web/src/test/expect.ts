import { expect } from 'vitest';

/** Asserts that `el`'s text contains each of `texts` (a string as a substring, a RegExp as a match). */
export function expectTexts(el: HTMLElement | null, ...texts: (string | RegExp)[]) {
  for (const text of texts) expect(el).toHaveTextContent(text);
}
