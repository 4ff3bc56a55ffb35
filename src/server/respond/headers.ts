import type { RequestContext } from '../../spec/index.js';

/** Header values must be visible ASCII without line breaks. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 4000);
}

/** What the gateway tells every client about how its request was served. */
export function gatewayHeaders(ctx: RequestContext): Record<string, string> {
  const h: Record<string, string> = { 'x-request-id': ctx.requestId, ...ctx.responseHeaders };
  const answered = ctx.attempts.find((a) => a.answered);
  if (answered) {
    h['x-switchyard-deployment'] = headerSafe(answered.deployment);
    h['x-switchyard-provider'] = answered.provider;
  }
  if (ctx.attempts.length > 0) h['x-switchyard-attempts'] = String(ctx.attempts.length);
  if (ctx.warnings.length > 0) h['x-switchyard-warning'] = headerSafe(ctx.warnings.join(' | '));
  return h;
}
