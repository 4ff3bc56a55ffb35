import { expect } from 'vitest';
import type { UpstreamTarget } from '../../src/spec/index.js';

/** Credential fields of a JSON credential (service account) an upstream could echo on their own. */
const JSON_FIELDS = ['private_key', 'private_key_id'];

/** The raw secret values a target carries (what an upstream may echo back). */
export function rawSecrets(target: UpstreamTarget): string[] {
  const out: string[] = [];
  if (target.apiKey) out.push(target.apiKey);
  for (const v of Object.values(target.credentials ?? {})) {
    if (v.trimStart().startsWith('{')) {
      const json = JSON.parse(v) as Record<string, unknown>;
      for (const f of JSON_FIELDS) if (typeof json[f] === 'string') out.push(json[f] as string);
    } else out.push(v);
  }
  return out;
}

/**
 * The forms of a secret that must never appear: itself, URL-encoded, and
 * (for long random-looking secrets) any 10-character stretch of it short of
 * its last 4 characters, so a truncated or partly masked key is a leak too.
 */
function needles(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret)]);
  if (secret.startsWith('-----BEGIN')) {
    // A PEM key: its base64 body is the secret.
    for (const line of secret.split('\n')) if (line.length >= 10 && !line.startsWith('-----')) out.add(line.slice(0, 10));
    return [...out];
  }
  // Stretches of random-looking keys only: a readable test key ("sk-dashscope-test") shares words with provider names.
  if (secret.length >= 16) {
    for (let i = 0; i + 10 <= secret.length - 4; i += 3) {
      const w = secret.slice(i, i + 10);
      if (/[0-9]/.test(w) && /[A-Za-z]/.test(w)) out.add(w);
    }
  }
  return [...out];
}

/** Fails naming where a secret (or a stretch of one) showed up. */
export function expectNoSecrets(where: string, text: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    for (const n of needles(s)) {
      if (text.includes(n)) expect.fail(`${where} leaks ${JSON.stringify(n)} (from a secret of ${s.length} chars):\n${text.slice(Math.max(0, text.indexOf(n) - 200), text.indexOf(n) + 200)}`);
    }
  }
}

/** An upstream error message echoing every secret it was sent, the way providers do (key, ?key= URL, auth header). */
export function echoingMessage(secrets: readonly string[], baseUrl: string): string {
  const first = secrets[0] ?? '';
  return [
    `Incorrect API key provided: ${secrets.join(' / ')}.`,
    `Request was GET ${baseUrl}/models?key=${encodeURIComponent(first)}&alt=sse`,
    `with Authorization: Bearer ${first}`,
  ].join(' ');
}
