/**
 * Reads one value out of JSON bytes without parsing the whole document: the
 * relay needs `usage` and `model` from bodies that can be large (long
 * completions, embedding vectors). Safe on JSON because a quote inside a
 * string value is always escaped, so `"key"` in the raw bytes is a key (or
 * a string value equal to the key name, which the value check rejects).
 */

/** Index of the first byte of the value after a key (skips `:` and whitespace). */
function skipToValue(buf: Buffer, i: number): number {
  while (i < buf.length && (buf[i] === 0x3a || buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return i;
}

/** The first string value of `key` (quoted, e.g. `"model"`), unescaped only if it needs no unescaping. */
export function peekString(buf: Buffer, key: Buffer): string | undefined {
  const k = buf.indexOf(key);
  if (k === -1) return undefined;
  const s = skipToValue(buf, k + key.length);
  if (buf[s] !== 0x22) return undefined;
  const e = buf.indexOf(0x22, s + 1);
  if (e === -1 || buf[e - 1] === 0x5c) return undefined;
  return buf.toString('utf8', s + 1, e);
}

/** The last object value of `key`, parsed; undefined when absent, not an object, or malformed. */
export function peekLastObject(buf: Buffer, key: Buffer): Record<string, unknown> | undefined {
  const k = buf.lastIndexOf(key);
  if (k === -1) return undefined;
  const s = skipToValue(buf, k + key.length);
  if (buf[s] !== 0x7b) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = s; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) {
      try {
        return JSON.parse(buf.toString('utf8', s, i + 1)) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
