import type { MouseEvent } from 'react';

/**
 * Props for a button that is unavailable for now (busy, or nothing to save) but keeps keyboard focus. `disabled`
 * turning on under the user's focus (a Refresh pressed with Enter, a Save that saved) drops focus to <body>, and a
 * keyboard or screen-reader user starts again from the top. aria-disabled keeps the button focusable and announced
 * as unavailable; its clicks (and a form's implicit submission, which clicks the submit button) are cancelled here.
 * Styled like :disabled (.btn[aria-disabled='true'] in styles.css).
 */
export function softDisabled(unavailable: boolean, onClick?: () => void) {
  return {
    'aria-disabled': unavailable || undefined,
    onClick: (e: MouseEvent<HTMLButtonElement>) => {
      if (unavailable) {
        e.preventDefault();
        return;
      }
      onClick?.();
    },
  };
}
