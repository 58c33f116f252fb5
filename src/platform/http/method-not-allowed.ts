import type { FastifyInstance } from 'fastify';

/**
 * Which methods a URL path is served with, so a known path called with another method is answered
 * 405 with `Allow` (RFC 9110) instead of a 404 that reads as "no such resource". Fastify's router
 * only answers "no route", so the app's route patterns are collected as they are registered.
 */
export class RouteMethods {
  private readonly routes: Array<{ segments: string[]; method: string }> = [];

  /** Records every route (HEAD variants included) registered on `app` from now on. */
  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) this.routes.push({ segments: route.url.split('/'), method: method.toUpperCase() });
    });
  }

  /** The methods a concrete path is served with, sorted; empty when no route has this path. */
  allowed(path: string): string[] {
    const segments = path.split('/');
    const matching = this.routes.filter((route) => matches(route.segments, segments));
    // As the router does, a literal segment wins over a parameter: `/charges/approval` is its own
    // route, not `/charges/:charge_id` with id "approval".
    const best = matching
      .map((route) => specificity(route.segments))
      .sort()
      .at(-1);
    const methods = new Set(matching.filter((route) => specificity(route.segments) === best).map((route) => route.method));
    return [...methods].sort();
  }
}

/** One character per segment, literal (2) above parameter (1) above wildcard (0): the larger string is the more specific pattern. */
function specificity(pattern: string[]): string {
  return pattern.map((part) => (part === '*' ? '0' : part.startsWith(':') ? '1' : '2')).join('');
}

/** `:name` matches one non-empty segment, a final `*` the rest of the path; anything else literally. */
function matches(pattern: string[], segments: string[]): boolean {
  for (const [i, part] of pattern.entries()) {
    if (part === '*' && i === pattern.length - 1) return true;
    const segment = segments[i];
    if (segment === undefined) return false;
    if (part.startsWith(':') ? segment === '' : part !== segment) return false;
  }
  return pattern.length === segments.length;
}
