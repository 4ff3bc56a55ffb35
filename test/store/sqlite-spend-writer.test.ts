import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_ROWS, SqliteSpendWriter, type SpendLogRow } from '../../src/store/repositories/sqlite-spend-writer.js';
import { withTestDatabase, type TestDatabase } from './test-databases.js';

/**
 * The writer on its own, fed what insertSpendLogs never passes it (request
 * ids repeated inside a batch, across chunks and inside one), against the
 * one-row-at-a-time model: a row goes in unless its request_id is stored
 * already or came earlier in the batch.
 */
describe('SqliteSpendWriter.insertLogs', () => {
  let t: TestDatabase;
  let writer: SqliteSpendWriter;
  beforeAll(async () => {
    t = await withTestDatabase('sqlite');
    writer = new SqliteSpendWriter(t.database.sqlite!);
  });
  afterAll(() => t.dispose());

  let n = 0;
  function row(requestId = `req-${n++}`, cost = n): SpendLogRow {
    return {
      request_id: requestId, key_id: null, user_id: null, team_id: null, public_model: 'm', deployment: null, provider: null,
      upstream_model: null, input_tokens: 1, output_tokens: 2, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
      cost_nanos: cost, status: 'success', http_status: 200, error_code: null, latency_ms: 5, ttft_ms: null, stream: 0, cache_hit: 0,
      client_ip: null, user_agent: null, endpoint: 'chat', warning: null, attempts: 1, fallbacks: 0, created_at: 1_700_000_000_000,
    };
  }

  function expected(stored: Set<string>, rows: SpendLogRow[]) {
    const seen = new Set(stored);
    const inserted: SpendLogRow[] = [];
    const duplicates: string[] = [];
    for (const r of rows) {
      if (seen.has(r.request_id)) duplicates.push(r.request_id);
      else {
        seen.add(r.request_id);
        inserted.push(r);
      }
    }
    return { inserted, duplicates };
  }

  function storedCosts(ids: string[]): Map<string, number> {
    const get = t.database.sqlite!.prepare<[string], { cost_nanos: number }>('select cost_nanos from spend_logs where request_id = ?');
    return new Map(ids.flatMap((id) => (get.get(id) ? [[id, get.get(id)!.cost_nanos] as const] : [])));
  }

  it('matches row-by-row inserting for repeats inside a chunk, across chunks and of stored rows', () => {
    const stored = [row(), row(), row()];
    writer.transaction(() => writer.insertLogs(stored));
    const fresh = Array.from({ length: 3 * CHUNK_ROWS + 7 }, () => row());
    const batch = [...fresh];
    batch[2] = { ...fresh[1]!, cost_nanos: -1 }; // repeat of a new row, same chunk
    batch[CHUNK_ROWS + 1] = { ...fresh[0]!, cost_nanos: -1 }; // repeat of a row written by the chunk before
    batch[CHUNK_ROWS + 2] = { ...stored[0]!, cost_nanos: -1 };
    batch[CHUNK_ROWS + 3] = { ...stored[0]!, cost_nanos: -1 }; // the same stored row twice
    batch[2 * CHUNK_ROWS] = { ...stored[1]!, cost_nanos: -1 };
    batch[3 * CHUNK_ROWS + 1] = { ...fresh[5]!, cost_nanos: -1 }; // in the tail
    const want = expected(new Set(stored.map((r) => r.request_id)), batch);
    expect(writer.transaction(() => writer.insertLogs(batch))).toEqual(want);
    const costs = storedCosts([...stored, ...batch].map((r) => r.request_id));
    for (const r of [...stored, ...want.inserted]) expect(costs.get(r.request_id)).toBe(r.cost_nanos);
  });

  it('matches row-by-row inserting on random mixes of new, stored and repeated rows', () => {
    let seed = 7;
    const rand = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
    const stored = new Set<string>();
    const pool: SpendLogRow[] = [];
    for (let round = 0; round < 40; round++) {
      const batch = Array.from({ length: rand(3 * CHUNK_ROWS + 10) }, () => {
        const pick = rand(40); // about a quarter of the chunks without a repeat
        if (pick === 0 && pool.length > 0) return { ...pool[rand(pool.length)]!, cost_nanos: -1 };
        const r = row();
        pool.push(r);
        return r;
      });
      const want = expected(stored, batch);
      expect(writer.transaction(() => writer.insertLogs(batch)), `round ${round}`).toEqual(want);
      for (const r of want.inserted) stored.add(r.request_id);
    }
    const costs = storedCosts([...stored]);
    expect(costs.size).toBe(stored.size);
    expect([...costs.values()].filter((c) => c < 0)).toEqual([]);
  });

  it('refuses a chunk whose request_id first comes with a row the database rejects, even though a later one goes in', () => {
    const good = row();
    const batch = Array.from({ length: CHUNK_ROWS }, () => row());
    batch[3] = { ...good, input_tokens: null as unknown as number }; // NOT NULL
    batch[30] = good;
    expect(() => writer.transaction(() => writer.insertLogs(batch))).toThrow(/NOT NULL/);
    expect(storedCosts(batch.map((r) => r.request_id)).size).toBe(0);
  });

  it('refuses a row that lacks a column, as before', () => {
    const { created_at: _dropped, ...partial } = row();
    expect(() => writer.transaction(() => writer.insertLogs(Array.from({ length: CHUNK_ROWS }, (_, i) => (i === 9 ? (partial as SpendLogRow) : row()))))).toThrow(
      /has no created_at/,
    );
  });
});
