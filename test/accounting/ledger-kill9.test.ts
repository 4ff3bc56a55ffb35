import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { LedgerWriter } from '../../src/accounting/ledger-writer.js';
import { createSqliteSink, SQLITE_SINK_JS } from './ledger-fixtures.js';

const repo = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-kill9-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Compiles the ledger's own source files for a plain `node` child (no test runner, no loader). */
function buildChild(): string {
  const out = path.join(work, 'lib');
  fs.mkdirSync(out, { recursive: true });
  for (const name of ['ledger-writer', 'ledger-journal', 'ledger-row']) {
    const src = fs.readFileSync(path.join(repo, 'src/accounting', `${name}.ts`), 'utf8');
    const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } }).outputText;
    fs.writeFileSync(path.join(out, `${name}.js`), js);
  }
  fs.writeFileSync(path.join(out, 'sqlite-sink.js'), SQLITE_SINK_JS);
  const child = path.join(out, 'child.mjs');
  fs.writeFileSync(
    child,
    `
import { createRequire } from 'node:module';
import { LedgerWriter } from './ledger-writer.js';
import { createSqliteSink } from './sqlite-sink.js';
const Database = createRequire(${JSON.stringify(path.join(repo, 'package.json'))})('better-sqlite3');
const [dir, dbFile] = process.argv.slice(2);
const { sink: fast } = createSqliteSink(Database, dbFile);
// a sink slower than the traffic, so a backlog is journaled but not yet in the DB at the kill
const sink = { async write(rows) { await new Promise((r) => setTimeout(r, 20)); await fast.write(rows); } };
// small batches and a fast timer, so at the kill some rows are in the DB, some only journaled, some in both
const w = new LedgerWriter({ dir, sink, batchSize: 7, flushIntervalMs: 3 });
let i = 0;
async function next() {
  const id = 'req-' + i;
  // Two rows per turn, so rows journaled in one write are acknowledged too.
  const twin = id + 'b';
  const a = w.record({ requestId: id, keyId: 'k1', costNanos: 1000 + (i % 13), status: 'ok', createdAt: Date.now() });
  const b = w.record({ requestId: twin, keyId: 'k1', costNanos: 7, status: 'ok', createdAt: Date.now() });
  await a;
  await b;
  // reported only after record() resolved: the server completes the response at this point
  process.stdout.write(id + '\\n' + twin + '\\n');
  i++;
  setTimeout(next, 1);
}
next();
`,
  );
  return child;
}

describe('ledger survives kill -9', () => {
  it('every row recorded before SIGKILL reaches the sink exactly once after replay', async () => {
    const child = buildChild();
    const dir = path.join(work, 'journal');
    const dbFile = path.join(work, 'spend.db');
    const proc = spawn(process.execPath, [child, dir, dbFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged: string[] = [];
    const lines = createInterface({ input: proc.stdout! });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve) => {
      lines.on('line', (id) => {
        acknowledged.push(id);
        if (acknowledged.length === 400) {
          proc.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');

    const { db, sink } = createSqliteSink(dbFile);
    const before = (db.prepare('SELECT COUNT(*) AS n FROM spend_logs').get() as { n: number }).n;
    const w = new LedgerWriter({ dir, sink, flushIntervalMs: 0 });
    const replayed = await w.replay();
    expect(replayed.ok).toBe(true);
    expect(replayed.corruptLines).toBe(0);

    const ids = new Set((db.prepare('SELECT request_id FROM spend_logs').all() as { request_id: string }[]).map((r) => r.request_id));
    const missing = acknowledged.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    // the child may have journaled a few more rows than it managed to print; those are kept too
    expect(ids.size).toBeGreaterThanOrEqual(acknowledged.length);
    expect(before).toBeLessThan(ids.size); // some rows came only from the journal…
    expect(before).toBeGreaterThan(0); // …and some had reached the DB before the kill
    const sum = db.prepare('SELECT SUM(cost_nanos) AS s FROM spend_logs').get() as { s: number };
    const counter = db.prepare("SELECT spend_nanos FROM key_spend WHERE key_id = 'k1'").get() as { spend_nanos: number };
    expect(counter.spend_nanos).toBe(sum.s); // no row counted twice
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ledger-'))).toEqual([]);
    await w.close();
    db.close();
  });
});
