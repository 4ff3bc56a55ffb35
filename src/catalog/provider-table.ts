import { getProtocol } from '../protocols/index.js';
import { listProviders } from './index.js';
import type { ProviderEntry } from './types.js';

export const TABLE_START = '<!-- providers:start -->';
export const TABLE_END = '<!-- providers:end -->';

export interface ProviderCapabilities {
  chat: boolean;
  stream: boolean;
  tools: boolean;
  vision: boolean;
  embeddings: boolean;
  rerank: boolean;
}

/**
 * What a provider serves through Switchyard: its protocol's methods
 * (`embed`, `rerank`) and declared inputs, narrowed by the entry (an
 * embeddings-only host, a catalog `noVision` quirk).
 *
 * The `openai` protocol is shared by dozens of hosts, and most serve only
 * chat: there, embeddings count where the entry lists an embedding model or
 * declares the family, and (Jina-style) rerank only where it is declared.
 */
export function capabilitiesOf(entry: ProviderEntry): ProviderCapabilities {
  const protocol = getProtocol(entry.protocol);
  if (protocol === undefined) throw new Error(`catalog entry ${entry.id} names unknown protocol ${entry.protocol}`);
  const shared = entry.protocol === 'openai';
  const declared = (e: 'chat' | 'embeddings' | 'rerank'): boolean | undefined => entry.endpoints?.includes(e);
  const chat = declared('chat') ?? true;
  const embeddings = declared('embeddings') ?? (!shared || entry.models.some((m) => m.mode === 'embedding'));
  const rerank = declared('rerank') ?? !shared;
  return {
    chat,
    stream: chat,
    tools: chat && protocol.inputs?.tools !== false,
    vision: chat && protocol.inputs?.images !== false && entry.quirks?.noVision !== true,
    embeddings: embeddings && protocol.embed !== undefined,
    rerank: rerank && protocol.rerank !== undefined,
  };
}

/** The README's provider table (Markdown), one row per catalog entry in catalog order. */
export function renderProviderTable(entries: readonly ProviderEntry[] = listProviders()): string {
  const mark = (b: boolean): string => (b ? '✓' : '—');
  const lines = [
    `${entries.length} providers. Generated from \`src/catalog\` by \`npm run providers:table\`; details in [docs/providers.md](docs/providers.md).`,
    '',
    '| provider | id | protocol | chat | stream | tools | vision | embeddings | rerank |',
    '| --- | --- | --- | :-: | :-: | :-: | :-: | :-: | :-: |',
  ];
  for (const e of entries) {
    const c = capabilitiesOf(e);
    const name = e.docsUrl ? `[${e.name}](${e.docsUrl})` : e.name;
    lines.push(`| ${name.replace(/\|/g, '\\|')} | \`${e.id}\` | ${e.protocol} | ${[c.chat, c.stream, c.tools, c.vision, c.embeddings, c.rerank].map(mark).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** `readme` with the text between the provider markers replaced by `table`; the markers must exist. */
export function replaceProviderTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README has no ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}

/** The text currently between the markers, or undefined when they are missing. */
export function currentProviderTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).replace(/^\n/, '').replace(/\n$/, '');
}
