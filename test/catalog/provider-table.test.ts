import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getProvider, listProviders } from '../../src/catalog/index.js';
import { capabilitiesOf, currentProviderTable, renderProviderTable, replaceProviderTable, TABLE_END, TABLE_START } from '../../src/catalog/provider-table.js';
import { providersTable } from '../../src/cli/providers-command.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README provider table', () => {
  it('matches the catalog (run `npm run providers:table` after changing a provider)', () => {
    const current = currentProviderTable(readme);
    expect(current, `README.md needs ${TABLE_START} … ${TABLE_END} markers`).toBeDefined();
    expect(current, 'README provider table is stale: run `npm run providers:table`').toBe(renderProviderTable());
  });

  it('has one row per catalog entry and replaces only the marked block', () => {
    const table = renderProviderTable();
    // Header and separator, then one row per entry.
    expect(table.split('\n').filter((l) => l.startsWith('|')).length - 2).toBe(listProviders().length);
    const doc = `intro\n${TABLE_START}\nold\n${TABLE_END}\noutro\n`;
    expect(replaceProviderTable(doc, 'NEW')).toBe(`intro\n${TABLE_START}\nNEW\n${TABLE_END}\noutro\n`);
    expect(() => replaceProviderTable('no markers', 'x')).toThrow(/markers/);
  });

  it('derives capabilities from the protocol object and the entry', () => {
    expect(capabilitiesOf(getProvider('cohere')!)).toMatchObject({ embeddings: true, rerank: true });
    // The shared OpenAI protocol: embeddings where a model is listed, rerank only where declared.
    expect(capabilitiesOf(getProvider('openai')!)).toMatchObject({ chat: true, embeddings: true, rerank: false, vision: true });
    expect(capabilitiesOf(getProvider('groq')!)).toMatchObject({ chat: true, embeddings: false, rerank: false });
    expect(capabilitiesOf(getProvider('jina')!)).toMatchObject({ chat: false, stream: false, embeddings: true, rerank: true });
    // Text-only native protocols say so on the Protocol object.
    expect(capabilitiesOf(getProvider('qianfan-legacy')!)).toMatchObject({ vision: false, tools: true, embeddings: true });
    expect(capabilitiesOf(getProvider('hunyuan')!)).toMatchObject({ vision: true, embeddings: false });
  });
});

describe('`switchyard providers`', () => {
  it('lists every entry, one aligned row each', () => {
    const lines = providersTable().split('\n');
    // header, rule, one row per entry, a blank line and the count
    expect(lines).toHaveLength(listProviders().length + 4);
    expect(lines[lines.length - 1]).toContain(`${listProviders().length} providers`);
    for (const e of listProviders()) expect(lines.some((l) => l.startsWith(`${e.id} `))).toBe(true);
  });
});
