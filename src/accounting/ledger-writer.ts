/**
 * The spend ledger's writer: record() queues a row for the local journal and
 * returns a promise that resolves once it is written there (await it before
 * completing the response; see ledger-journal.ts for the exact durability).
 * Rows recorded in one event-loop turn are appended with one write, at the
 * end of the turn (setImmediate): under load one syscall serves many
 * requests, where a write per request cost more than the rest of the ledger.
 * Journaled rows are shipped to the LedgerSink in batches (every
 * `batchSize` rows or `flushIntervalMs`).
 *
 * Nothing is dropped: a sink failure keeps the segment on disk and retries
 * with exponential backoff; memory holds at most one cached batch per sealed
 * segment and forgets it on failure (the disk copy is re-read). On start,
 * segments left by a previous process are queued first and shipped by
 * replay() (or the first flush); the sink's idempotency on requestId makes a
 * segment shipped just before a crash harmless to ship again.
 */
import * as fs from 'node:fs';
import { LedgerJournal, type FsyncMode } from './ledger-journal.js';
import type { LedgerRecorder, LedgerRow, LedgerSink } from './ledger-row.js';

export interface LedgerWriterOptions {
  dir: string;
  sink: LedgerSink;
  /** Rows per sink write (and per journal segment). Default 500. */
  batchSize?: number;
  /** Ship whatever is journaled at least this often; 0 = only on batchSize/flush(). Default 1000. */
  flushIntervalMs?: number;
  fsync?: FsyncMode;
  /** Backoff after a sink failure: starts at initialMs, doubles to maxMs (with jitter). */
  retry?: { initialMs?: number; maxMs?: number };
  /** Failures worth a log line (sink errors, corrupt journal lines, a refused journal write). */
  onError?: (error: unknown, context: string) => void;
}

export interface FlushResult {
  /** True when nothing is left waiting for the sink. */
  ok: boolean;
  pendingSegments: number;
}

export interface ReplayResult extends FlushResult {
  segments: number;
  rows: number;
  corruptLines: number;
}

interface QueuedSegment {
  file: string;
  rows?: LedgerRow[];
}

export class LedgerWriter implements LedgerRecorder {
  private readonly journal: LedgerJournal;
  private readonly sink: LedgerSink;
  private readonly batchSize: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly onError: (error: unknown, context: string) => void;
  private readonly queue: QueuedSegment[];
  private readonly leftoverFiles: Set<string>;
  private activeRows: LedgerRow[] = [];
  /** Rows recorded this turn, written together by writePending(). */
  private pending: LedgerRow[] = [];
  private pendingWritten: Promise<void> | null = null;
  private resolvePending: () => void = () => {};
  /** Rows the journal refused (disk full): kept in memory and retried before the next append. */
  private unjournaled: LedgerRow[] = [];
  private draining: Promise<void> | null = null;
  private retryDelayMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private interval: NodeJS.Timeout | null = null;
  private closed = false;
  private replayStats = { segments: 0, rows: 0, corruptLines: 0 };

  constructor(opts: LedgerWriterOptions) {
    this.journal = new LedgerJournal(opts.dir, opts.fsync ?? 'none');
    this.sink = opts.sink;
    this.batchSize = Math.max(1, opts.batchSize ?? 500);
    this.retryInitialMs = opts.retry?.initialMs ?? 200;
    this.retryMaxMs = opts.retry?.maxMs ?? 30_000;
    this.onError = opts.onError ?? ((e, where) => console.error(`ledger: ${where}:`, e));
    this.queue = this.journal.leftovers.map((file) => ({ file }));
    this.leftoverFiles = new Set(this.journal.leftovers);
    const every = opts.flushIntervalMs ?? 1000;
    if (every > 0) {
      this.interval = setInterval(() => this.tick(), every);
      this.interval.unref();
    }
  }

  /**
   * Queues the row for this turn's journal write; the promise resolves once
   * it is written (or, if the disk refused it, held in memory and reported).
   * Never rejects.
   */
  record(row: LedgerRow): Promise<void> {
    this.pending.push(row);
    if (this.pendingWritten === null) {
      this.pendingWritten = new Promise<void>((resolve) => {
        this.resolvePending = resolve;
      });
      setImmediate(() => this.writePending());
    }
    return this.pendingWritten;
  }

  /** Appends everything recorded since the last write, with one write. */
  private writePending(): void {
    const resolve = this.resolvePending;
    this.pendingWritten = null;
    if (this.pending.length || this.unjournaled.length) {
      for (const r of this.pending) this.unjournaled.push(r);
      this.pending = [];
      try {
        this.journal.appendMany(this.unjournaled);
        for (const r of this.unjournaled) this.activeRows.push(r);
        this.unjournaled = [];
      } catch (e) {
        this.onError(e, `journal write failed; ${this.unjournaled.length} row(s) held in memory`);
      }
      if (this.journal.activeCount >= this.batchSize) {
        this.seal();
        this.kick();
      }
    }
    resolve();
  }

  /** Ships rows left by a previous process (and anything since); resolves with what was found. */
  async replay(): Promise<ReplayResult> {
    const r = await this.flush();
    return { ...r, ...this.replayStats };
  }

  /** Seals the current segment and tries to ship everything now (SIGTERM path). Never rejects. */
  async flush(): Promise<FlushResult> {
    this.writePending();
    this.seal();
    if (this.draining) await this.draining;
    this.clearRetry();
    await this.drain();
    return { ok: this.queue.length === 0 && this.unjournaled.length === 0, pendingSegments: this.queue.length };
  }

  /** Stops timers and ships what it can; rows still unshipped stay journaled for the next start. */
  async close(): Promise<FlushResult> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    const result = await this.flush();
    this.closed = true;
    this.clearRetry();
    this.journal.close();
    return result;
  }

  stats(): { pendingSegments: number; activeRows: number; unjournaledRows: number; retryDelayMs: number } {
    // Rows queued for this turn's write count as unjournaled: they are only in memory.
    return { pendingSegments: this.queue.length, activeRows: this.journal.activeCount, unjournaledRows: this.unjournaled.length + this.pending.length, retryDelayMs: this.retryDelayMs };
  }

  private tick(): void {
    this.writePending();
    // While the sink is down, let the active segment fill to batchSize instead of sealing a tiny file every tick.
    if (this.retryTimer !== null) return;
    if (this.journal.activeCount > 0) this.seal();
    this.kick();
  }

  private seal(): void {
    const file = this.journal.seal();
    // Keep the rows in memory only while the sink keeps up; a backlog is re-read from disk, so memory stays bounded.
    if (file) this.queue.push(this.queue.length < 2 ? { file, rows: this.activeRows } : { file });
    this.activeRows = [];
  }

  private kick(): void {
    if (this.closed || this.draining || this.retryTimer !== null) return;
    void this.drain();
  }

  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = this.drainLoop().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drainLoop(): Promise<void> {
    while (this.queue.length) {
      const seg = this.queue[0]!;
      let corruptLines = 0;
      let rows = seg.rows;
      if (!rows) {
        const contents = LedgerJournal.read(seg.file);
        rows = contents.rows;
        corruptLines = contents.corruptLines;
      }
      try {
        for (let i = 0; i < rows.length; i += this.batchSize) await this.sink.write(rows.slice(i, i + this.batchSize));
      } catch (e) {
        // Forget cached copies: memory stays bounded while the sink is down; the segments are on disk.
        for (const q of this.queue) q.rows = undefined;
        this.onError(e, `sink write failed; ${this.queue.length} segment(s) waiting, retrying`);
        this.scheduleRetry();
        return;
      }
      if (this.leftoverFiles.delete(seg.file)) {
        this.replayStats.segments++;
        this.replayStats.rows += rows.length;
        this.replayStats.corruptLines += corruptLines;
      }
      if (corruptLines > 0) {
        this.onError(new Error(`${corruptLines} unreadable line(s)`), `journal segment ${seg.file} kept as ${seg.file}.corrupt`);
        fs.renameSync(seg.file, `${seg.file}.corrupt`);
      } else {
        this.journal.remove(seg.file);
      }
      this.queue.shift();
      this.retryDelayMs = 0;
    }
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.retryDelayMs = this.retryDelayMs === 0 ? this.retryInitialMs : Math.min(this.retryMaxMs, this.retryDelayMs * 2);
    const delay = Math.round(this.retryDelayMs * (0.75 + Math.random() * 0.5));
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
