import OpenAI from 'openai';
import { rmSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/index.js';
import { FakeOpenAI } from '../fakes/openai-fake.js';
import { ALL_TEST_DATABASE_KINDS, describeWithDatabase, testDatabaseTarget } from '../store/test-databases.js';
import { startTestGateway, type TestGateway } from './harness.js';

/**
 * Responses state on every storage driver (SQLite, PostgreSQL, MariaDB):
 * the repository's owner-scoped reads and deletes, large and non-ASCII
 * JSON kept exactly, and a gateway on that database continuing a
 * conversation by previous_response_id across a restart. PostgreSQL and
 * MariaDB run where SWITCHYARD_TEST_POSTGRES_URL / _MYSQL_URL are set (CI).
 */
for (const kind of ALL_TEST_DATABASE_KINDS) {
  const target = await testDatabaseTarget(kind);
  describeWithDatabase(target, 'responses state', (suite) => {
    let store: Store;
    beforeAll(() => {
      store = createStore(suite.database());
    });

    const record = (id: string, ownerId: string, request: unknown) => ({
      id,
      ownerId,
      userId: null,
      model: 'm',
      status: 'completed',
      previousResponseId: null,
      request,
      response: { id, object: 'response', output: [] },
      usage: null,
      createdAt: 1_700_000_000_000,
    });

    it('finds a response only for its owner, and deletes it only for its owner', async () => {
      const id = `resp_${kind}_scoped`;
      await store.responses.save(record(id, 'key-a', { input: [] }));
      expect((await store.responses.find(id, 'key-a'))?.createdAt).toBe(1_700_000_000_000);
      expect(await store.responses.find(id, 'key-b')).toBeUndefined();
      expect(await store.responses.delete(id, 'key-b')).toBe(false);
      expect(await store.responses.delete(id, 'key-a')).toBe(true);
      expect(await store.responses.find(id, 'key-a')).toBeUndefined();
    });

    it('keeps a long, non-ASCII conversation exactly (beyond MySQL TEXT’s 64 KiB)', async () => {
      const id = `resp_${kind}_big`;
      const text = 'Grüße 👋 — 中文 '.repeat(8_000);
      const request = { input: [{ type: 'message', id: 'msg_1', role: 'user', content: [{ type: 'input_text', text }] }], instructions: null, tools: [] };
      await store.responses.save(record(id, 'key-a', request));
      const found = await store.responses.find(id, 'key-a');
      expect(found?.request).toEqual(request);
      expect(found?.usage).toBeNull();
    });

    it('a gateway on this database continues a conversation after a restart', async () => {
      const fake = new FakeOpenAI();
      await fake.start();
      const databaseUrl = suite.testDatabase().url;
      const dataDir = suite.testDatabase().dataDir;
      const deployments = [{ publicModel: 'm', protocol: 'openai', baseUrl: `${fake.url}/v1`, model: 'gpt-m' }];
      let gw: TestGateway | undefined;
      const scratch: string[] = [];
      try {
        gw = await startTestGateway({ deployments, config: { databaseUrl, dataDir } });
        scratch.push(gw.dataDir);
        fake.script('gpt-m', { text: 'Noted: blue.' });
        const client = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
        const first = await client.responses.create({ model: 'm', input: 'My favourite colour is blue.' });
        await gw.gateway.close();

        gw = await startTestGateway({ deployments, config: { databaseUrl, dataDir } });
        scratch.push(gw.dataDir);
        fake.script('gpt-m', { text: 'Blue.' });
        const again = new OpenAI({ apiKey: gw.key, baseURL: gw.baseURL, maxRetries: 0 });
        const second = await again.responses.create({ model: 'm', input: 'Which colour?', previous_response_id: first.id });
        expect(second.output_text).toBe('Blue.');
        const sent = JSON.stringify(fake.lastRequest()?.body.messages);
        expect(sent).toContain('My favourite colour is blue.');
        expect(sent).toContain('Noted: blue.');
      } finally {
        await gw?.gateway.close();
        await fake.stop();
        // The harness's own scratch dirs (this gateway used the test database's data dir).
        for (const d of scratch) rmSync(d, { recursive: true, force: true });
      }
    });
  });
}
