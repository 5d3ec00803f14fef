/**
 * Which methods a path is served with, so a request with another method on a known path answers
 * 405 with an Allow header (RFC 9110 §15.5.6) instead of the 404 of a path that does not exist.
 * Fastify answers an unmatched method with its not-found handler; this keeps every route's
 * pattern as it is registered and matches the request's path against them there.
 *
 * @example
 * const allowed = allowedMethods(app);
 * app.setNotFoundHandler((request, reply) => { const methods = allowed(request.url); … });
 */
import type { FastifyInstance } from 'fastify';

interface RoutePattern {
  pattern: RegExp;
  methods: Set<string>;
}

/** Records every route the app registers from now on; the returned function lists a path's methods (empty: no such path). */
export function allowedMethods(app: FastifyInstance): (url: string) => string[] {
  const routes = new Map<string, RoutePattern>();
  app.addHook('onRoute', (route) => {
    const entry = routes.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set<string>() };
    for (const method of [route.method].flat()) entry.methods.add(method.toUpperCase());
    routes.set(route.url, entry);
  });
  return (url) => {
    const path = url.split('?')[0] ?? '';
    const methods = new Set<string>();
    for (const { pattern, methods: served } of routes.values()) if (pattern.test(path)) for (const method of served) methods.add(method);
    return [...methods];
  };
}

/** A route url (`/v1/runs/:id/events`) as an anchored pattern: a parameter is one path segment, `*` the rest. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
