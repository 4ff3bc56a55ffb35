import { listProviders } from '../catalog/index.js';

/** `switchyard providers`: the catalog as a table. */
export function providersTable(): string {
  const rows = listProviders().map((p) => [p.id, p.name, p.protocol, p.baseUrl || '(api_base required)', p.envKeys.join(', ') || '-', p.litellmPrefixes.join(', ')]);
  const header = ['id', 'name', 'protocol', 'base URL', 'key env', 'LiteLLM prefixes'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
