import type { RequestContext } from '../spec/index.js';
import type { Logger } from './log.js';

/** Called once per API request when it ends (answered, failed or abandoned). */
export type AccessLog = (ctx: RequestContext, status: number, aborted: boolean) => void;

/**
 * One JSON line per API request: what an operator greps for, and nothing a
 * leaked log could be used against — ids and key prefixes, never keys,
 * prompts or bodies.
 */
export function createAccessLog(log: Logger): AccessLog {
  return (ctx, status, aborted) => {
    const answered = ctx.attempts.find((a) => a.answered);
    log.info('request', {
      requestId: ctx.requestId,
      endpoint: ctx.endpoint,
      dialect: ctx.dialect,
      status: aborted ? 499 : status,
      ...(aborted ? { aborted: true } : {}),
      model: ctx.publicModel,
      deployment: answered?.deployment,
      attempts: ctx.attempts.length || undefined,
      stream: ctx.stream || undefined,
      latencyMs: Date.now() - ctx.startedAt,
      ttftMs: ctx.firstTokenAt !== undefined ? ctx.firstTokenAt - ctx.startedAt : undefined,
      key: ctx.identity?.keyPrefix ?? ctx.identity?.kind,
      user: ctx.identity?.userId,
      cost: ctx.responseHeaders['x-switchyard-cost'],
      warnings: ctx.warnings.length || undefined,
      ip: ctx.clientIp,
    });
  };
}
