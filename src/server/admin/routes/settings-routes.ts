import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../../spec/index.js';
import type { AdminContext } from '../admin-deps.js';
import { audit } from '../audit.js';
import { addRoute, type Json } from '../route-helper.js';
import { body, obj } from '../schemas.js';

const TAGS = ['settings'];
export const RETENTION_SETTING = 'spend_log_retention_days';
const DAY_MS = 86_400_000;

const SETTINGS = {
  [RETENTION_SETTING]: { type: ['integer', 'null'], minimum: 1, description: 'Raw spend-log rows older than this many days are deleted by a daily sweep (daily aggregates stay). null = keep forever.' },
};

async function readSettings(ctx: AdminContext): Promise<Json> {
  const raw = await ctx.accounts.store.settings.get(RETENTION_SETTING);
  return { [RETENTION_SETTING]: raw === undefined ? null : Number(raw) };
}

/** Deletes ledger rows past the retention period; a no-op when none is set. */
export async function sweepRetention(ctx: AdminContext): Promise<{ deleted: number; before: string | null }> {
  const days = (await readSettings(ctx))[RETENTION_SETTING];
  if (typeof days !== 'number' || !(days >= 1)) return { deleted: 0, before: null };
  const before = ctx.now() - days * DAY_MS;
  const deleted = await ctx.accounts.store.ledger.deleteSpendLogsBefore(before);
  return { deleted, before: new Date(before).toISOString() };
}

/** The daily sweep; stopped when the app closes. */
export function startRetentionSweep(app: FastifyInstance, ctx: AdminContext): void {
  const timer = setInterval(() => {
    sweepRetention(ctx).then(
      (r) => r.deleted > 0 && ctx.rt.log.info('spend-log retention sweep', { deleted: r.deleted, before: r.before }),
      (err: unknown) => ctx.rt.log.warn('spend-log retention sweep failed', { message: (err as Error).message }),
    );
  }, DAY_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

export function registerSettingsRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/settings',
    summary: 'Gateway settings kept in the database',
    tags: TAGS,
    response: { 200: obj(SETTINGS) },
    async handler(call) {
      return readSettings(call.ctx);
    },
  });

  addRoute(app, ctx, {
    method: 'PATCH',
    url: '/admin/settings',
    summary: 'Change settings',
    tags: TAGS,
    body: body(SETTINGS),
    response: { 200: obj(SETTINGS) },
    async handler(call) {
      const before = await readSettings(call.ctx);
      if (RETENTION_SETTING in call.body) {
        const v = call.body[RETENTION_SETTING];
        if (v === null) await call.ctx.accounts.store.settings.delete(RETENTION_SETTING);
        else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1) await call.ctx.accounts.store.settings.set(RETENTION_SETTING, String(v));
        else throw invalidRequest(`${RETENTION_SETTING} must be a whole number of days (at least 1) or null.`, RETENTION_SETTING);
      }
      const after = await readSettings(call.ctx);
      await audit(call, 'settings.update', 'settings', null, before, after);
      return after;
    },
  });
}
