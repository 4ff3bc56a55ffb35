/**
 * A `/v1/messages` body (and its `anthropic-*` headers) → the unified
 * ChatRequest. Fields with a unified meaning map; Anthropic-only fields
 * (`context_management`, `service_tier`, `container`, adaptive `thinking`,
 * unknown future fields…) go to `providerOptions.anthropic` so an Anthropic
 * upstream still receives them, and the server warns, per field, when the
 * request is translated for anything else. Validation failures are 400s
 * naming the field, worded like Anthropic's own.
 */
import type { ChatRequest, GatewayError, ReasoningEffort, ResponseFormat } from '../../spec/index.js';
import { decodeMessages } from './decode-messages.js';
import { DecodeNotes } from './decode-notes.js';
import { decodeTools } from './decode-tools.js';
import {
  asObject,
  invalid,
  isAbsent,
  isObject,
  missing,
  oneOf,
  optBoolean,
  optInteger,
  optNumber,
  optString,
  optStringArray,
  wrongType,
  type Json,
} from './json-checks.js';

export interface DecodedMessages {
  request: ChatRequest;
  /** Lossy mappings; they apply only when the request is translated for a non-Anthropic upstream. */
  warnings: string[];
  /** Set when some content can reach an Anthropic upstream only; throw it on the translated path. */
  untranslatable?: GatewayError;
  /** The client's `anthropic-version` header. */
  anthropicVersion?: string;
  /** The client's `anthropic-beta` flags, split and de-duplicated. */
  betas: string[];
  /**
   * Anthropic fields as the client sent them that were ALSO mapped to unified
   * fields (`thinking`, `output_config`, `output_format`): a protocol that
   * reads Anthropic options gets these instead of the lossy mapping.
   */
  native: Json;
}

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface DecodeOptions {
  /** `max_tokens` is required by /v1/messages, not by /v1/messages/count_tokens. */
  requireMaxTokens?: boolean;
}

/** Read in their own step (they depend on each other), so the key loop skips them. */
const GROUPED = new Set(['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'output_config', 'output_format']);

const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

export function decodeMessagesRequest(body: unknown, headers: HeaderMap, options: DecodeOptions = {}): DecodedMessages {
  if (!isObject(body)) throw invalid(null, 'The request body must be a JSON object.');
  const notes = new DecodeNotes();
  const model = body['model'];
  if (isAbsent(model)) throw missing('model');
  if (typeof model !== 'string' || model === '') throw wrongType('model', 'a valid string', model);

  const req: ChatRequest = { model, messages: decodeMessages(body['system'], body['messages'], notes) };
  const anthropic: Json = {};
  const native: Json = {};

  for (const key of Object.keys(body)) {
    if (GROUPED.has(key)) continue;
    const v = body[key];
    switch (key) {
      case 'max_tokens':
        put(req, 'maxOutputTokens', optInteger(v, key, 1));
        break;
      case 'temperature':
        put(req, 'temperature', optNumber(v, key, 0, 1));
        break;
      case 'top_p':
        put(req, 'topP', optNumber(v, key, 0, 1));
        break;
      case 'top_k':
        put(req, 'topK', optInteger(v, key, 0));
        break;
      case 'stop_sequences': {
        const stop = optStringArray(v, key);
        if (stop !== undefined && stop.length > 0) req.stop = stop;
        break;
      }
      case 'stream':
        put(req, 'stream', optBoolean(v, key));
        break;
      case 'metadata':
        decodeMetadata(v, req, notes);
        break;
      default:
        // Anthropic-only or newer than this gateway: kept for an Anthropic upstream, reported elsewhere.
        if (v !== undefined) anthropic[key] = v;
    }
  }
  if (options.requireMaxTokens !== false && req.maxOutputTokens === undefined) throw missing('max_tokens');

  Object.assign(req, decodeTools(body['tools'], body['tool_choice'], notes));
  decodeThinking(body['thinking'], req, anthropic, notes);
  decodeOutputConfig(body['output_config'], body['output_format'], req, anthropic, notes);
  for (const key of ['thinking', 'output_config', 'output_format']) if (!isAbsent(body[key])) native[key] = body[key];

  const betas = decodeBetas(headers['anthropic-beta']);
  if (betas.length > 0) anthropic['betas'] = betas;
  if (Object.keys(anthropic).length > 0) req.providerOptions = { anthropic };

  const out: DecodedMessages = { request: req, warnings: notes.warnings, betas, native };
  if (notes.untranslatable) out.untranslatable = notes.untranslatable;
  const version = headers['anthropic-version'];
  const v = Array.isArray(version) ? version[0] : version;
  if (v !== undefined && v !== '') out.anthropicVersion = v;
  return out;
}

function put<K extends keyof ChatRequest>(req: ChatRequest, key: K, value: ChatRequest[K] | undefined): void {
  if (value !== undefined) req[key] = value;
}

function decodeMetadata(v: unknown, req: ChatRequest, notes: DecodeNotes): void {
  if (isAbsent(v)) return;
  const m = asObject(v, 'metadata');
  for (const k of Object.keys(m)) {
    if (k === 'user_id') put(req, 'user', optString(m[k], 'metadata.user_id'));
    else notes.warn(`metadata.${k}: only metadata.user_id has a meaning outside Anthropic; ignored`);
  }
}

/**
 * `enabled` carries a budget every thinking-capable upstream understands.
 * `disabled`, `adaptive` and newer modes mean "the provider's own default"
 * elsewhere, so they stay Anthropic options (and are reported when not sent).
 */
function decodeThinking(v: unknown, req: ChatRequest, anthropic: Json, notes: DecodeNotes): void {
  if (isAbsent(v)) return;
  const t = asObject(v, 'thinking');
  if (isAbsent(t['type'])) throw missing('thinking.type');
  const type = t['type'];
  if (typeof type !== 'string') throw wrongType('thinking.type', 'a valid string', type);
  if (type !== 'enabled') {
    anthropic['thinking'] = t;
    return;
  }
  const budget = optInteger(t['budget_tokens'], 'thinking.budget_tokens', 1);
  if (budget === undefined) throw missing('thinking.budget_tokens');
  req.reasoningBudgetTokens = budget;
  if (!isAbsent(t['display'])) notes.warn('thinking.display: Anthropic-only option, not carried to this upstream');
}

/** `effort` and `format` have unified meanings; anything else in output_config stays Anthropic's. */
function decodeOutputConfig(config: unknown, legacyFormat: unknown, req: ChatRequest, anthropic: Json, notes: DecodeNotes): void {
  if (!isAbsent(legacyFormat)) req.responseFormat = decodeFormat(legacyFormat, 'output_format');
  if (isAbsent(config)) return;
  const c = asObject(config, 'output_config');
  const rest: Json = {};
  for (const [k, v] of Object.entries(c)) {
    if (k === 'effort') {
      if (isAbsent(v)) continue;
      const effort = oneOf(v, 'output_config.effort', EFFORTS);
      if (effort === 'max') notes.warn('output_config.effort: "max" is sent as the highest effort this upstream knows ("xhigh")');
      req.reasoningEffort = (effort === 'max' ? 'xhigh' : effort) satisfies ReasoningEffort;
    } else if (k === 'format') {
      if (!isAbsent(v)) req.responseFormat = decodeFormat(v, 'output_config.format');
    } else rest[k] = v;
  }
  if (Object.keys(rest).length > 0) anthropic['output_config'] = rest;
}

function decodeFormat(v: unknown, param: string): ResponseFormat {
  const f = asObject(v, param);
  oneOf(f['type'], `${param}.type`, ['json_schema'] as const);
  const schema = f['schema'];
  if (isAbsent(schema)) throw missing(`${param}.schema`);
  if (!isObject(schema)) throw wrongType(`${param}.schema`, 'a valid dictionary', schema);
  return { type: 'json_schema', name: 'output', schema };
}

function decodeBetas(raw: string | string[] | undefined): string[] {
  if (raw === undefined) return [];
  const all = (Array.isArray(raw) ? raw : [raw]).flatMap((h) => h.split(',')).map((b) => b.trim());
  return [...new Set(all.filter((b) => b !== ''))];
}
