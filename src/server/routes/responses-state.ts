/**
 * Stored Responses API state: who owns a response, loading a conversation
 * for `previous_response_id`, saving a finished response, and the
 * GET / DELETE / input_items routes. Every read is scoped to the caller
 * (virtual key, master key or signed-in user): another caller's id is
 * simply not found.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientView, type ResponseItem, type ResponseObject } from '../../dialects/responses/index.js';
import { encodeError } from '../../dialects/openai/index.js';
import { GatewayError, invalidRequest, type Identity, type RequestContext } from '../../spec/index.js';
import type { ResponsesRepository, StoredResponse } from '../../store/index.js';
import { authenticate } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendError } from '../respond/send-error.js';
import { createRequestContext } from '../request-context.js';
import type { GatewayRuntime } from '../runtime.js';

/** What the stored `request_json` holds: the flattened conversation up to this response. */
interface StoredRequest {
  input: ResponseItem[];
  instructions: string | null;
  tools: unknown[];
}

export function ownerOf(identity: Identity | null): string {
  if (identity?.keyId !== undefined) return identity.keyId;
  if (identity?.kind === 'master') return 'master';
  return `user:${identity?.userId ?? 'unknown'}`;
}

export class ResponsesState {
  constructor(private readonly repo: ResponsesRepository | undefined) {}

  /**
   * The conversation a new response continues: the stored input history of
   * `previousId` followed by its output. One primary-key read.
   */
  async history(previousId: string, owner: string): Promise<ResponseItem[]> {
    const stored = this.repo ? await this.repo.find(previousId, owner) : undefined;
    if (!stored) {
      throw new GatewayError('invalid_request', {
        message: `Previous response with id '${previousId}' not found.`,
        param: 'previous_response_id',
        clientCode: 'previous_response_not_found',
      });
    }
    return [...requestOf(stored).input, ...responseOf(stored).output];
  }

  /**
   * Saves a finished response. Callers await this BEFORE the client sees the
   * end of the answer, so a client that continues at once with
   * `previous_response_id` always finds it; the price is one insert of
   * latency at the end of each stored response — never before its first
   * token, and never on the next request's path beyond its single read.
   */
  async save(r: { response: ResponseObject; conversation: ResponseItem[]; owner: string; identity: Identity | null }): Promise<void> {
    if (!this.repo) throw new GatewayError('internal_error', { message: 'Response storage is not available on this server.' });
    const request: StoredRequest = { input: r.conversation, instructions: r.response.instructions, tools: r.response.tools };
    await this.repo.save({
      id: r.response.id,
      ownerId: r.owner,
      userId: r.identity?.userId ?? null,
      model: r.response.model,
      status: r.response.status,
      previousResponseId: r.response.previous_response_id,
      request,
      response: r.response,
      usage: r.response.usage,
      createdAt: r.response.created_at * 1000,
    });
  }

  get available(): boolean {
    return this.repo !== undefined;
  }

  async find(id: string, owner: string): Promise<StoredResponse> {
    const stored = this.repo ? await this.repo.find(id, owner) : undefined;
    if (!stored) throw new GatewayError('not_found', { message: `Response with id '${id}' not found.`, param: 'response_id' });
    return stored;
  }

  async delete(id: string, owner: string): Promise<void> {
    if (!this.repo || !(await this.repo.delete(id, owner))) {
      throw new GatewayError('not_found', { message: `Response with id '${id}' not found.`, param: 'response_id' });
    }
  }
}

// The stored JSON is written only by this module, so its shape is known; these casts sit at the JSON boundary.
function requestOf(s: StoredResponse): StoredRequest {
  return s.request as StoredRequest;
}
function responseOf(s: StoredResponse): ResponseObject {
  return s.response as ResponseObject;
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Runs a state route: authenticate from memory, then the body; errors in OpenAI's shape. */
function stateRoute(rt: GatewayRuntime, body: (ctx: RequestContext, owner: string, req: FastifyRequest) => Promise<unknown>): Handler {
  return async (req, reply) => {
    const ctx = createRequestContext(req, reply, 'responses', 'openai-responses');
    try {
      authenticate(rt, req, ctx);
      const out = await body(ctx, ownerOf(ctx.identity), req);
      void reply.headers(gatewayHeaders(ctx)).send(out);
    } catch (err) {
      sendError(reply, ctx, err, encodeError, rt.log);
    }
  };
}

function idParam(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}

type Query = Record<string, string | string[] | undefined>;

/** `include=a&include=b` or `include[]=a` (both forms are in use). */
function includesEncrypted(q: Query): boolean {
  const values = [q['include'], q['include[]']].flat().filter((v): v is string => typeof v === 'string');
  return values.includes('reasoning.encrypted_content');
}

function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function getResponseHandler(rt: GatewayRuntime, state: ResponsesState): Handler {
  return stateRoute(rt, async (_ctx, owner, req) => {
    const q = req.query as Query;
    if (one(q, 'stream') === 'true') throw new GatewayError('unsupported_parameter', { message: 'Streaming a stored response again is not supported by this gateway.', param: 'stream' });
    return clientView(responseOf(await state.find(idParam(req), owner)), includesEncrypted(q));
  });
}

export function deleteResponseHandler(rt: GatewayRuntime, state: ResponsesState): Handler {
  return stateRoute(rt, async (_ctx, owner, req) => {
    const id = idParam(req);
    await state.delete(id, owner);
    return { id, object: 'response', deleted: true };
  });
}

/** `GET /v1/responses/{id}/input_items`: the conversation that led to the response, paged by item id. */
export function inputItemsHandler(rt: GatewayRuntime, state: ResponsesState): Handler {
  return stateRoute(rt, async (_ctx, owner, req) => {
    const q = req.query as Query;
    const limit = pageLimit(one(q, 'limit'));
    const order = one(q, 'order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw invalidRequest(`Invalid value for 'order': '${order}'. Supported values are: 'asc' and 'desc'.`, 'order');
    const items = [...requestOf(await state.find(idParam(req), owner)).input];
    if (order === 'desc') items.reverse();
    const after = one(q, 'after');
    let start = 0;
    if (after !== undefined) {
      const at = items.findIndex((i) => i.id === after);
      if (at < 0) throw invalidRequest(`No input item with id '${after}' in this response.`, 'after');
      start = at + 1;
    }
    const encrypted = includesEncrypted(q);
    const data = items.slice(start, start + limit).map((i) => (i.type === 'reasoning' && !encrypted ? withoutPayload(i) : i));
    return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: start + limit < items.length };
  });
}

function pageLimit(raw: string | undefined): number {
  if (raw === undefined) return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw invalidRequest(`Invalid 'limit': expected an integer between 1 and 100, but got '${raw}'.`, 'limit');
  return n;
}

function withoutPayload(item: ResponseItem): ResponseItem {
  if (item.type !== 'reasoning') return item;
  const { encrypted_content: _hidden, ...rest } = item;
  return rest;
}
