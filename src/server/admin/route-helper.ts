import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, invalidRequest, type Identity } from '../../spec/index.js';
import type { AdminContext } from './admin-deps.js';
import { callerOf } from './access-hook.js';
import { adminValidatorCompiler } from './schema-validator.js';
import type { JsonSchema } from './schemas.js';

export type Json = Record<string, unknown>;

/** One admin request as a handler sees it: already authenticated and authorised. */
export interface AdminCall {
  req: FastifyRequest;
  reply: FastifyReply;
  ctx: AdminContext;
  body: Json;
  query: Record<string, unknown>;
  params: Record<string, string>;
  /** The caller; throws on public routes, which have none. */
  readonly identity: Identity;
  /** True when the caller is a member on a route that limits members to their own things. */
  readonly ownOnly: boolean;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  description?: string;
  body?: JsonSchema;
  querystring?: JsonSchema;
  params?: JsonSchema;
  /** Documented success response (status → schema); extra fields are kept, never stripped. */
  response?: Record<number, JsonSchema>;
  /** Success status (default 200). */
  status?: number;
  /** Body fields accepted beyond the schema's own, e.g. LiteLLM fields handled by the route (default none). */
  handler(call: AdminCall): Promise<unknown>;
}

/**
 * Registers one admin route with its JSON schemas (they become the OpenAPI
 * description and validate input). Unknown body fields are refused with a
 * 400 naming the field — Fastify's default would drop them silently.
 */
export function addRoute(app: FastifyInstance, ctx: AdminContext, def: RouteDef): void {
  const bodyProps = def.body && def.body['additionalProperties'] === false ? Object.keys((def.body['properties'] as Json | undefined) ?? {}) : undefined;
  app.route({
    method: def.method,
    url: def.url,
    schema: {
      summary: def.summary,
      tags: def.tags,
      ...(def.description ? { description: def.description } : {}),
      ...(def.body ? { body: unions(def.body) } : {}),
      ...(def.querystring ? { querystring: unions(def.querystring) } : {}),
      ...(def.params ? { params: def.params } : {}),
      ...(def.response ? { response: unions(openResponses(def.response)) as Record<number, JsonSchema> } : {}),
    },
    validatorCompiler: adminValidatorCompiler,
    preValidation: async (req) => {
      if (!bodyProps) return;
      const body = req.body;
      if (body === undefined || body === null) return;
      if (typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.', 'body');
      for (const k of Object.keys(body)) {
        if (!bodyProps.includes(k)) throw invalidRequest(`Unknown field '${k}'. Accepted fields: ${bodyProps.join(', ')}.`, k);
      }
    },
    handler: async (req, reply) => {
      // Reads show spend: rows of requests just served may still sit in the batched ledger writer.
      if (def.method === 'GET') await ctx.accounts.ledger.flush();
      const caller = callerOf(req);
      const call: AdminCall = {
        req,
        reply,
        ctx,
        body: (req.body as Json | undefined) ?? {},
        query: (req.query as Record<string, unknown> | undefined) ?? {},
        params: (req.params as Record<string, string> | undefined) ?? {},
        get identity(): Identity {
          if (!caller) throw new GatewayError('internal_error', { message: 'This route has no authenticated caller.' });
          return caller.identity;
        },
        get ownOnly(): boolean {
          return caller !== undefined && caller.rule.own === true && caller.identity.role === 'member';
        },
      };
      const result = await def.handler(call);
      if (reply.sent) return reply;
      return reply.code(def.status ?? 200).send(result);
    },
  });
}

/** Response schemas document fields; `additionalProperties: true` keeps serialisation from dropping the rest. */
function openResponses(r: Record<number, JsonSchema>): Record<number, JsonSchema> {
  const out: Record<number, JsonSchema> = {};
  for (const [status, schema] of Object.entries(r)) out[Number(status)] = schema['type'] === 'object' ? { additionalProperties: true, ...schema } : schema;
  return out;
}

/**
 * `type: ['string', 'null']` written as `anyOf`: the same schema, but the
 * form Ajv's strict mode and OpenAPI 3.0 both accept.
 */
const KEYWORD_TYPES: Record<string, string[]> = {
  minimum: ['number', 'integer'],
  maximum: ['number', 'integer'],
  exclusiveMinimum: ['number', 'integer'],
  properties: ['object'],
  additionalProperties: ['object'],
  required: ['object'],
  items: ['array'],
};

function unions(schema: JsonSchema): JsonSchema {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as JsonSchema;
    const out: JsonSchema = {};
    const types = Array.isArray(o['type']) ? (o['type'] as string[]) : undefined;
    const branches = types?.map((t) => ({ type: t }) as JsonSchema);
    for (const [k, val] of Object.entries(o)) {
      if (k === 'type' && branches) continue;
      const owner = branches && KEYWORD_TYPES[k];
      if (owner) {
        // A type-specific keyword moves into the branches of its type(s).
        for (const b of branches!) if (owner.includes(b['type'] as string)) b[k] = walk(val);
      } else out[k] = walk(val);
    }
    if (branches) out['anyOf'] = branches;
    return out;
  };
  return walk(schema) as JsonSchema;
}
