/**
 * Gateway controls a client may put in the request body (LiteLLM's vocabulary,
 * so existing LiteLLM clients keep working). They steer routing here and are
 * removed from what goes upstream: an upstream would reject or misread them.
 */
import {
  asArray,
  asString,
  invalid,
  isAbsent,
  isObject,
  optBoolean,
  optInteger,
  optNumber,
  optStringArray,
  wrongType,
  type Json,
} from './json-checks.js';

export interface GatewayDirectives {
  tags?: string[];
  fallbacks?: string[];
  numRetries?: number;
  timeoutMs?: number;
  disableFallbacks?: boolean;
}

/** Body fields that are gateway directives, consumed here and never forwarded. */
const DIRECTIVE_KEYS = new Set(['tags', 'fallbacks', 'num_retries', 'timeout', 'disable_fallbacks']);

/**
 * LiteLLM proxy-only fields this gateway does not implement. Forwarding them
 * would make OpenAI reject the request ("Unrecognized request argument"), and
 * `api_key`/`api_base` would leak a client's credentials upstream; so they are
 * removed and reported.
 */
const UNSUPPORTED_KEYS = new Set([
  'mock_response', 'mock_timeout', 'mock_tool_calls', 'api_key', 'api_base', 'base_url', 'api_version',
  'context_window_fallbacks', 'content_policy_fallbacks', 'caching', 'cache', 'guardrails',
]);
const UNSUPPORTED_PREFIXES = ['mock_testing_', 'litellm_'];

export function isDirectiveKey(key: string): boolean {
  return DIRECTIVE_KEYS.has(key);
}

export function isUnsupportedGatewayKey(key: string): boolean {
  if (UNSUPPORTED_KEYS.has(key)) return true;
  for (const p of UNSUPPORTED_PREFIXES) if (key.startsWith(p)) return true;
  return false;
}

/** Reads the directives from a body; `metadataTags` is `metadata.tags` (LiteLLM puts tags there). */
export function decodeGatewayDirectives(body: Json, metadataTags: unknown): GatewayDirectives {
  const out: GatewayDirectives = {};
  const tags = mergeTags(optStringArray(body['tags'], 'tags'), optStringArray(metadataTags, 'metadata.tags'));
  if (tags) out.tags = tags;

  const fallbacks = decodeFallbacks(body['fallbacks']);
  if (fallbacks) out.fallbacks = fallbacks;

  const numRetries = optInteger(body['num_retries'], 'num_retries', 0);
  if (numRetries !== undefined) out.numRetries = numRetries;

  // LiteLLM's `timeout` is in seconds (a float is allowed).
  const timeout = optNumber(body['timeout'], 'timeout');
  if (timeout !== undefined) {
    if (timeout <= 0) throw invalid(`Invalid 'timeout': expected a number of seconds greater than 0, but got ${timeout} instead.`, 'timeout');
    out.timeoutMs = Math.ceil(timeout * 1000);
  }

  const disable = optBoolean(body['disable_fallbacks'], 'disable_fallbacks');
  if (disable !== undefined) out.disableFallbacks = disable;
  return out;
}

function mergeTags(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b ? [...new Set(b)] : undefined;
  if (!b) return [...new Set(a)];
  return [...new Set([...a, ...b])];
}

/** Model names, or LiteLLM's `{model: "..."}` objects. */
function decodeFallbacks(v: unknown): string[] | undefined {
  if (isAbsent(v)) return undefined;
  const arr = asArray(v, 'fallbacks');
  const out: string[] = [];
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i];
    if (typeof item === 'string') out.push(item);
    else if (isObject(item) && typeof item['model'] === 'string') out.push(asString(item['model'], `fallbacks[${i}].model`));
    else throw wrongType(`fallbacks[${i}]`, 'a model name (string)', item);
  }
  return out;
}
