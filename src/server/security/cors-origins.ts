/**
 * The allow-list of browser origins, as configured: `*` (any origin, the
 * default), a comma list of exact origins (`https://chat.example.com`,
 * also `https://*.example.com` for subdomains), or `none` / `off` to send
 * no CORS headers at all. Kept free of server imports so config can use it.
 */

export type CorsParse = { ok: true; origins: string[] } | { ok: false; message: string };

const ORIGIN = /^(https?):\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i;

/** Parses `*`, `none`/`off`, or a comma list (a YAML list arrives as an array). */
export function parseCorsOrigins(value: string | readonly string[]): CorsParse {
  const items = (typeof value === 'string' ? value.split(',') : value).map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 1 && /^(none|off|false)$/i.test(items[0] as string)) return { ok: true, origins: [] };
  if (items.length === 0) return { ok: false, message: 'is empty: give "*", "none", or a comma list of origins like https://chat.example.com' };
  if (items.includes('*')) {
    if (items.length > 1) return { ok: false, message: '"*" already allows every origin: give it alone' };
    return { ok: true, origins: ['*'] };
  }
  const origins: string[] = [];
  for (const item of items) {
    const o = item.replace(/\/$/, '');
    if (!ORIGIN.test(o)) return { ok: false, message: `"${item}" is not an origin (scheme://host[:port], no path), e.g. https://chat.example.com` };
    origins.push(o.toLowerCase());
  }
  return { ok: true, origins };
}
