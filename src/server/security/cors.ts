import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for browser front ends (NextChat, LobeChat, One-API-style UIs) that
 * call the gateway directly. Credentials here are bearer tokens in headers,
 * never cookies, so `Access-Control-Allow-Credentials` is never sent and
 * `*` is safe: a page on another origin can only use a key it already has.
 *
 * Headers go onto the raw response in `onRequest`, before any handler runs:
 * Node merges them into whatever `writeHead` later sends, so hijacked
 * streams (which write their own headers) carry them too.
 */

/** What browsers may send besides the CORS-safelisted ones: every way a client presents a key or picks an API version. */
const BASE_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'openai-organization',
  'openai-project',
  'x-request-id',
  'x-stainless-retry-count',
  'x-stainless-timeout',
];
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD';
/** Browsers cap this themselves (Chrome at 2 hours); a day saves a preflight per call elsewhere. */
const MAX_AGE_S = '86400';
/**
 * Gateway headers a browser client may read. `*` covers them all in every
 * current browser (non-credentialed requests); the names are listed too for
 * older ones.
 */
const EXPOSE_HEADERS = [
  '*',
  'x-request-id',
  'retry-after',
  'x-switchyard-cost',
  'x-switchyard-model',
  'x-switchyard-deployment',
  'x-switchyard-provider',
  'x-switchyard-attempts',
  'x-switchyard-fallbacks',
  'x-switchyard-warning',
  'x-switchyard-cache',
  'x-switchyard-key-remaining-budget',
  'x-ratelimit-limit-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-requests',
  'x-ratelimit-reset-tokens',
].join(', ');

/** The `Access-Control-Allow-Origin` value for an origin, or undefined when it is not allowed. */
export function corsOriginMatcher(origins: readonly string[]): (origin: string) => string | undefined {
  if (origins.includes('*')) return () => '*';
  const exact = new Set(origins.filter((o) => !o.includes('*')));
  const wild = origins
    .filter((o) => o.includes('*'))
    .map((o) => {
      const [scheme, rest] = o.split('://*.') as [string, string];
      return { prefix: `${scheme}://`, suffix: `.${rest}` };
    });
  return (origin) => {
    const o = origin.toLowerCase();
    if (exact.has(o)) return origin;
    return wild.some((w) => o.startsWith(w.prefix) && o.endsWith(w.suffix) && o.length > w.prefix.length + w.suffix.length) ? origin : undefined;
  };
}

/** Requested headers echoed (so `x-stainless-*` and friends pass) on top of the base list, deduplicated. */
function allowHeaders(requested: string | string[] | undefined): string {
  const asked = (Array.isArray(requested) ? requested.join(',') : (requested ?? '')).split(',').map((h) => h.trim().toLowerCase());
  return [...new Set([...BASE_ALLOW_HEADERS, ...asked.filter((h) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h))])].join(', ');
}

/**
 * Answers preflights and marks every response for allowed origins. An empty
 * list turns CORS off (no headers; `OPTIONS` falls through to the routes).
 * Register before any route or plugin so every scope inherits the hook.
 */
export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowOrigin = corsOriginMatcher(origins);
  const reflected = !origins.includes('*');
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin;
    if (origin === undefined) return;
    const allowed = allowOrigin(origin);
    const raw = reply.raw;
    if (reflected) raw.setHeader('vary', 'Origin');
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (allowed === undefined) {
        return reply.code(403).send({ error: { message: `Origin ${origin} is not allowed by this gateway's CORS settings.`, type: 'permission_error', param: null, code: 'origin_not_allowed' } });
      }
      raw.setHeader('vary', reflected ? 'Origin, Access-Control-Request-Headers' : 'Access-Control-Request-Headers');
      return reply
        .code(204)
        .headers({
          'access-control-allow-origin': allowed,
          'access-control-allow-methods': ALLOW_METHODS,
          'access-control-allow-headers': allowHeaders(req.headers['access-control-request-headers']),
          'access-control-max-age': MAX_AGE_S,
        })
        .send();
    }
    if (allowed === undefined) return;
    raw.setHeader('access-control-allow-origin', allowed);
    raw.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
  });
}
