import { GatewayError, type UpstreamTarget } from '../../spec/index.js';

/**
 * Keeps credentials out of everything a client, a log or the ledger sees.
 * Providers echo the credential they received in their error messages
 * ("Incorrect API key provided: sk-proj-…", a URL with `?key=`, an AWS
 * access key id), and the gateway passes those messages on by design, so
 * every upstream error is scrubbed twice over: the exact secrets of the
 * target that was called (raw, URL-encoded and JSON-escaped), then generic
 * patterns for well-known key formats, which also catch secrets the
 * gateway never knew (a short-lived OAuth token, another tenant's key).
 *
 * A redacted value shows `****` and, when it is at least 20 characters
 * long, its last 4 characters (OpenAI's own convention: enough to tell two
 * keys apart, never enough to use one). Known format prefixes (`sk-ant-`,
 * `AIza`, `AKIA`) stay, since they are public.
 */

/** Secrets shorter than this are placeholders ("none", "ollama"): scrubbing them would only mangle messages. */
const MIN_SECRET_LENGTH = 8;
const MASK = '****';

export type Redactor = (text: string) => string;

/** The masked stand-in for one secret. */
export function maskSecret(secret: string): string {
  return secret.length >= 20 ? `${MASK}${secret.slice(-4)}` : MASK;
}

/** Credential fields inside a JSON-valued credential (a Google service account) worth scrubbing on their own. */
const JSON_SECRET_FIELDS = ['private_key', 'private_key_id', 'client_secret', 'refresh_token', 'access_token', 'secret', 'token'];

/** Every secret a target carries, in the forms an upstream may echo it, longest first. */
export function secretsOf(target: UpstreamTarget): string[] {
  const raw: string[] = [];
  if (target.apiKey !== undefined) raw.push(target.apiKey);
  for (const v of Object.values(target.credentials ?? {})) {
    raw.push(v);
    if (v.trimStart().startsWith('{')) raw.push(...jsonSecrets(v));
  }
  return expandForms(raw);
}

/** The raw, URL-encoded, form-encoded and JSON-escaped forms of each secret long enough to matter. */
export function expandForms(secrets: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    out.add(s);
    out.add(encodeURIComponent(s));
    out.add(new URLSearchParams({ v: s }).toString().slice(2));
    out.add(JSON.stringify(s).slice(1, -1));
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function jsonSecrets(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    if (v === null || typeof v !== 'object') return [];
    const out: string[] = [];
    for (const f of JSON_SECRET_FIELDS) {
      const s = (v as Record<string, unknown>)[f];
      if (typeof s === 'string') out.push(s);
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * Generic shapes of credentials. Each keeps its public prefix (group 1)
 * and masks the rest. Ordered so a specific format wins over `Bearer`.
 */
const PATTERNS: readonly RegExp[] = [
  // PEM private keys, also as JSON-escaped text ("\n" written out).
  /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  // OpenAI, Anthropic (sk-ant-…), OpenRouter, DeepSeek, DashScope … and Switchyard's own virtual and master keys.
  /\b(sk-(?:ant-(?:api\d\d-|admin\d\d-)?|proj-|svcacct-|or-v1-|sy-(?:master-)?)?)[A-Za-z0-9_-]{16,}/g,
  // Switchyard admin session tokens.
  /\b(sy-session-)[A-Za-z0-9_-]{16,}/g,
  // Google API keys and OAuth access tokens.
  /\b(AIza)[0-9A-Za-z_-]{30,}/g,
  /\b(ya29\.)[0-9A-Za-z_.-]{10,}/g,
  // AWS access key ids (long-term and temporary).
  /\b((?:AKIA|ASIA|ABIA|ACCA))[0-9A-Z]{16}\b/g,
  // Groq, Hugging Face, xAI, GitHub, Slack-style tokens.
  /\b(gsk_|hf_|xai-|ghp_|gho_|github_pat_|xox[abp]-)[A-Za-z0-9_-]{16,}/g,
  // JWTs (Zhipu's signed key, service-account assertions).
  /\b(eyJ)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // A credential in a query string: ?key=…, &access_token=…, SigV4 presigned parts.
  /([?&](?:key|api[_-]?key|access_token|token|code|sig|signature|x-amz-credential|x-amz-signature|x-amz-security-token)=)[^&#\s"'<>*]{4,}/gi,
  // A credential header echoed back (a request dump in an error body).
  /((?:x-goog-api-key|x-api-key|api-key|apikey|x-amz-security-token)["']?\s*[:=]\s*["']?)[^\s"',;}&*]{4,}/gi,
  /((?:authorization|proxy-authorization)["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token|AWS4-HMAC-SHA256|TC3-HMAC-SHA256)\s+)?)(?!(?:Bearer|Basic|Token)\b)[^\s"',;}*]{6,}/gi,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g,
];

/** Masks generic key formats only (text whose secrets are unknown: logs, pass-through bodies). */
export function redactPatterns(text: string): string {
  let out = text;
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    if (!re.test(out)) continue;
    out = out.replace(re, (whole: string, prefix: string) => `${prefix}${maskSecret(whole.slice(prefix.length))}`);
  }
  return out;
}

/** Masks the given exact secrets (already expanded), then generic key formats. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(maskSecret(s));
  return redactPatterns(out);
}

const redactors = new WeakMap<UpstreamTarget, Redactor>();

/** A redactor for one target's secrets plus the generic patterns, built once per target object. */
export function redactorFor(target: UpstreamTarget): Redactor {
  let r = redactors.get(target);
  if (r === undefined) {
    const secrets = secretsOf(target);
    r = (text) => redactText(text, secrets);
    redactors.set(target, r);
  }
  return r;
}

/**
 * Scrubs an error in place (message, upstream body, client code, stack)
 * and returns it: identity is kept, so whoever holds it sees the clean
 * copy. Non-gateway errors pass unchanged.
 */
export function redactError<E>(err: E, redact: Redactor): E {
  if (!(err instanceof GatewayError)) return err;
  const fields: { message: string; upstreamBody?: string; clientCode: string; stack?: string; param: string | null } = {
    message: redact(err.message),
    clientCode: redact(err.clientCode),
    param: err.param === null ? null : redact(err.param),
  };
  if (err.upstreamBody !== undefined) fields.upstreamBody = redact(err.upstreamBody);
  if (err.stack !== undefined) fields.stack = redact(err.stack);
  return Object.assign(err, fields);
}
