import { useEffect, useRef, type RefObject } from 'react';
import { useLocation } from 'react-router';

/**
 * After a client-side navigation, puts focus on `target` (the page's <main>) when the focused element went away
 * with the old page (a link in a list, a button that navigated): the browser then leaves focus on <body> and a
 * keyboard or screen-reader user would start again from the top of the document. Focus that survived the
 * navigation (a link of the main navigation, a settings tab) stays where it is. Not on the first render.
 */
export function useFocusAfterNavigation(target: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) target.current?.focus({ preventScroll: true });
  }, [pathname, target]);
}
