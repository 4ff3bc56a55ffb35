import { listProviders } from '../catalog/index.js';

/**
 * `switchyard providers`: the catalog as a terminal-width table. Only the
 * first key variable is shown (the rest are aliases); `docs/providers.md`
 * and the README table carry the full detail.
 */
export function providersTable(): string {
  const rows = listProviders().map((p) => [p.id, p.protocol, p.envKeys[0] ?? (p.keyRequired ? '-' : '(no key)'), p.baseUrl || '(api_base required)']);
  const header = ['id', 'protocol', 'key env', 'base URL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt), '', `${rows.length} providers. Any OpenAI-compatible server works as provider "custom" with an api_base.`].join('\n');
}
