import type { FastifyInstance } from 'fastify';
import { GatewayError, invalidRequest } from '../../../spec/index.js';
import type { AdminContext } from '../admin-deps.js';
import { notFound } from '../admin-errors.js';
import { audit } from '../audit.js';
import { optInstant, optString, queryInt, reqString } from '../input.js';
import { ownUserId } from '../key-service.js';
import { addRoute } from '../route-helper.js';
import { body, idParams, int, listOf, nullableStr, obj, query, str, usdField } from '../schemas.js';
import { usd, usdToNanosExact } from '../usd.js';
import { codeView, transactionView, userView } from '../views.js';
import { findUser } from './users-routes.js';

const TAGS = ['credits'];
const REDEEM_REFUSALS: Record<string, string> = {
  not_found: 'This code does not exist.',
  disabled: 'This code has been disabled.',
  expired: 'This code has expired.',
  used_up: 'This code has been used up.',
  already_redeemed: 'You have already redeemed this code.',
  user_not_found: 'Your user no longer exists.',
};

/** Prepaid balances (One-API quota): atomic top-ups and deductions, a transaction log, redemption codes. */
export function registerCreditRoutes(app: FastifyInstance, ctx: AdminContext): void {
  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/users/:id/credits',
    summary: 'A user’s balance and credit transactions, newest first',
    tags: TAGS,
    params: idParams,
    querystring: query({ limit: int(), before_id: int('Pass the last id seen for the next page') }),
    async handler(call) {
      const user = await findUser(call, call.params['id']!);
      const beforeId = call.query['before_id'];
      const txs = await call.ctx.accounts.store.credits.transactions(user.id, {
        limit: queryInt(call.query['limit'], 'limit', 100),
        ...(beforeId !== undefined ? { beforeId: queryInt(beforeId, 'before_id', 0, Number.MAX_SAFE_INTEGER) } : {}),
      });
      return { user_id: user.id, balance: usd(user.balanceNanos), data: txs.map(transactionView) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/users/:id/credits',
    summary: 'Top up or deduct a user’s prepaid balance (atomic; never below zero)',
    tags: TAGS,
    params: idParams,
    body: body({ amount: usdField('Positive amount'), action: { type: 'string', enum: ['topup', 'deduct'] }, reason: nullableStr() }, ['amount', 'action']),
    async handler(call) {
      const user = await findUser(call, call.params['id']!);
      const amount = usdToNanosExact(call.body['amount'], 'amount');
      if (amount <= 0) throw invalidRequest('amount must be greater than zero.', 'amount');
      const reason = optString(call.body['reason'], 'reason') ?? null;
      const note = { reason, actor: call.identity.userId ?? call.identity.kind };
      const store = call.ctx.accounts.store;
      if (call.body['action'] === 'topup') {
        if ((await store.credits.creditBalance(user.id, amount, { ...note, kind: 'topup' })) === undefined) throw notFound('User', user.id);
      } else if (!(await store.credits.debitBalance(user.id, amount, note))) {
        throw invalidRequest(`The balance (${usd(user.balanceNanos)} USD) does not cover ${usd(amount)} USD.`, 'amount');
      }
      await call.ctx.accounts.directory.refreshUser(user.id);
      const after = (await store.users.get(user.id))!;
      await audit(call, `credits.${String(call.body['action'])}`, 'user', user.id, { balance: usd(user.balanceNanos) }, { balance: usd(after.balanceNanos), amount: usd(amount), reason });
      return userView(after);
    },
  });

  addRoute(app, ctx, {
    method: 'GET',
    url: '/admin/redemption-codes',
    summary: 'List redemption codes (only their first characters are shown)',
    tags: TAGS,
    querystring: query({ limit: int(), offset: int() }),
    response: { 200: listOf(obj({ id: str(), code_hint: str() })) },
    async handler(call) {
      const codes = await call.ctx.accounts.store.credits.listCodes({ limit: queryInt(call.query['limit'], 'limit', 100), offset: queryInt(call.query['offset'], 'offset', 0, Number.MAX_SAFE_INTEGER) });
      return { data: codes.map(codeView) };
    },
  });

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/redemption-codes',
    summary: 'Create a redemption code; the code is in this response only',
    tags: TAGS,
    body: body({ amount: usdField('Credit each redemption adds'), max_uses: int('Default 1'), expires_at: nullableStr('ISO time'), label: nullableStr(), code: str('Choose the code instead of generating one') }, ['amount']),
    status: 201,
    async handler(call) {
      const b = call.body;
      const amountNanos = usdToNanosExact(b['amount'], 'amount');
      if (amountNanos <= 0) throw invalidRequest('amount must be greater than zero.', 'amount');
      const expiresAt = optInstant(b['expires_at'], 'expires_at');
      const label = optString(b['label'], 'label');
      const code = optString(b['code'], 'code');
      if (b['max_uses'] !== undefined && (typeof b['max_uses'] !== 'number' || !Number.isSafeInteger(b['max_uses']) || b['max_uses'] < 1)) {
        throw invalidRequest('max_uses must be a positive integer.', 'max_uses');
      }
      const created = await call.ctx.accounts.store.credits.createCode({
        amountNanos,
        ...(typeof b['max_uses'] === 'number' ? { maxUses: b['max_uses'] } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(label !== undefined ? { label } : {}),
        ...(typeof code === 'string' ? { code } : {}),
        createdBy: call.identity.userId ?? call.identity.kind,
      });
      await audit(call, 'redemption_code.create', 'redemption_code', created.code.id, undefined, codeView(created.code));
      return { ...codeView(created.code), code: created.secret };
    },
  });

  for (const disabled of [true, false]) {
    addRoute(app, ctx, {
      method: 'POST',
      url: `/admin/redemption-codes/:id/${disabled ? 'disable' : 'enable'}`,
      summary: disabled ? 'Disable a redemption code' : 'Enable a redemption code',
      tags: TAGS,
      params: idParams,
      async handler(call) {
        const id = call.params['id']!;
        const before = await call.ctx.accounts.store.credits.getCode(id);
        if (!before || !(await call.ctx.accounts.store.credits.setCodeDisabled(id, disabled))) throw notFound('Redemption code', id);
        const after = (await call.ctx.accounts.store.credits.getCode(id))!;
        await audit(call, disabled ? 'redemption_code.disable' : 'redemption_code.enable', 'redemption_code', id, codeView(before), codeView(after));
        return codeView(after);
      },
    });
  }

  addRoute(app, ctx, {
    method: 'POST',
    url: '/admin/credits/redeem',
    summary: 'Redeem a code onto your own balance',
    tags: TAGS,
    body: body({ code: str() }, ['code']),
    async handler(call) {
      const userId = ownUserId(call);
      const result = await call.ctx.accounts.store.credits.redeemCode(reqString(call.body['code'], 'code'), userId);
      if (!result.ok) {
        throw result.reason === 'not_found'
          ? new GatewayError('not_found', { message: REDEEM_REFUSALS[result.reason]!, param: 'code' })
          : invalidRequest(REDEEM_REFUSALS[result.reason] ?? result.reason, 'code');
      }
      await call.ctx.accounts.directory.refreshUser(userId);
      await audit(call, 'credits.redeem', 'user', userId, undefined, { code_id: result.codeId, amount: usd(result.amountNanos), balance: usd(result.balanceAfterNanos) });
      return { user_id: userId, amount: usd(result.amountNanos), balance: usd(result.balanceAfterNanos) };
    },
  });
}
