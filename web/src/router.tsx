import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * A tiny router over the History API: the console's pages live under /app, the server answers
 * index.html for all of them, and this maps the rest of the path to a page (routes.tsx).
 */
export const BASE = '/app';

const NAVIGATED = 'waybill:navigate';

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

/** The path below /app with its query string, e.g. `/orders?status=PLANNED`. */
export const isRedirect = () => (window.history.state as { redirect?: boolean } | null)?.redirect === true;

const current = () => (window.location.pathname.slice(BASE.length) || '/') + window.location.search;

export function useLocation(): { path: string; search: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, current);
  const [path = '/', query = ''] = href.split('?');
  return { path, search: new URLSearchParams(query), href };
}

/**
 * `redirect`: the app sent the person elsewhere (to sign in, say) rather than the person going
 * somewhere; the layout then leaves focus where it was instead of moving it to the new page.
 */
export function navigate(to: string, options: { replace?: boolean; redirect?: boolean } = {}) {
  const url = BASE + (to.startsWith('/') ? to : `/${to}`);
  const state = options.redirect ? { redirect: true } : null;
  if (options.replace || options.redirect) window.history.replaceState(state, '', url);
  else window.history.pushState(state, '', url);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** A path with its query: empty values are left out, so filters make clean, shareable addresses. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => !!entry[1]));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A real link (opens in a new tab, copies as an address) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={click} {...rest} />;
}

/** `/orders/:id` against `/orders/42` → `{id: '42'}`; undefined when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    const value = got[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}
