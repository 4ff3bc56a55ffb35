/**
 * The ledger's local journal: numbered segment files of JSON lines in one
 * directory (one gateway process per directory).
 *
 * Durability, exactly:
 * - fsync 'none' (default): once appendMany() returns, the rows are in the
 *   kernel's page cache, which outlives the process — it survives kill -9,
 *   an OOM kill or a crash of the gateway, not a kernel panic or power loss.
 * - fsync 'always': appendMany() also fdatasyncs the segment (and the directory
 *   when a segment is created), so the rows survive power loss once it
 *   returns, on disks that honour flushes. Costs a disk flush per append
 *   (the writer appends each event-loop turn's rows together: group commit).
 *
 * Rows are never rewritten in place: a segment is sealed, shipped to the
 * sink, and deleted only after the sink confirmed it, so every row is
 * always in a segment, the sink, or both (the sink is idempotent).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LedgerRow } from './ledger-row.js';

export type FsyncMode = 'none' | 'always';

const SEGMENT_RE = /^ledger-(\d{12})\.jsonl$/;

/**
 * A line is a JSON array: a format version, then the row's fields in this
 * order. Half the bytes of an object line and about half the CPU to write,
 * on a path that runs once per request. Append new fields at the end and
 * bump the version; lines of every earlier version must stay readable
 * (segments outlive an upgrade), and so must version 0, a plain JSON
 * object per line.
 */
const LINE_VERSION = 1;
const LINE_FIELDS = [
  'requestId', 'keyId', 'userId', 'teamId', 'publicModel', 'deployment', 'provider', 'upstreamModel', 'endpoint',
  'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'usageSource', 'costNanos',
  'status', 'errorCode', 'latencyMs', 'ttftMs', 'stream', 'cacheHit', 'clientIp', 'userAgent', 'warning', 'attempts',
  'fallbacks', 'tags', 'createdAt',
] as const satisfies readonly (keyof LedgerRow)[];
// Compile-time: a field added to LedgerRow must be added above too.
const allLineFieldsListed: [Exclude<keyof LedgerRow, (typeof LINE_FIELDS)[number]>] extends [never] ? true : never = true;
void allLineFieldsListed;

/**
 * An array literal, in LINE_FIELDS order: V8 stringifies a packed literal
 * about twice as fast as an array filled in a loop (which is holey). The
 * journal test round-trips a row whose every field differs, so a field out
 * of place here fails it.
 */
function encodeLine(r: LedgerRow): string {
  return JSON.stringify([
    LINE_VERSION, r.requestId, r.keyId, r.userId, r.teamId, r.publicModel, r.deployment, r.provider, r.upstreamModel, r.endpoint,
    r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.reasoningTokens, r.usageSource, r.costNanos,
    r.status, r.errorCode, r.latencyMs, r.ttftMs, r.stream, r.cacheHit, r.clientIp, r.userAgent, r.warning, r.attempts,
    r.fallbacks, r.tags, r.createdAt,
  ]);
}

/** The row on a line, or undefined when the line is not one (torn or foreign). */
function decodeLine(line: string): LedgerRow | undefined {
  const parsed = JSON.parse(line) as unknown;
  if (Array.isArray(parsed)) {
    if (parsed[0] !== LINE_VERSION || parsed.length !== LINE_FIELDS.length + 1) return undefined;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < LINE_FIELDS.length; i++) row[LINE_FIELDS[i]!] = parsed[i + 1];
    return typeof row.requestId === 'string' ? (row as unknown as LedgerRow) : undefined;
  }
  // Version 0: one object per line.
  return parsed && typeof parsed === 'object' && typeof (parsed as { requestId?: unknown }).requestId === 'string' ? (parsed as LedgerRow) : undefined;
}

export interface SegmentContents {
  rows: LedgerRow[];
  /** Lines that did not parse (a torn final write after power loss); reported, never silently skipped. */
  corruptLines: number;
}

export class LedgerJournal {
  private fd: number | null = null;
  private seq: number;
  private activeRows = 0;
  /** Segments that existed when the journal opened: rows from a previous run. */
  readonly leftovers: string[];

  constructor(
    readonly dir: string,
    private readonly fsync: FsyncMode = 'none',
  ) {
    fs.mkdirSync(dir, { recursive: true });
    const existing = fs
      .readdirSync(dir)
      .map((name) => ({ name, m: SEGMENT_RE.exec(name) }))
      .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
      .sort((a, b) => Number(a.m[1]) - Number(b.m[1]));
    this.leftovers = existing.map((e) => path.join(dir, e.name));
    const last = existing.at(-1);
    this.seq = last ? Number(last.m[1]) + 1 : 1;
  }

  get activeCount(): number {
    return this.activeRows;
  }

  private activePath(): string {
    return path.join(this.dir, `ledger-${String(this.seq).padStart(12, '0')}.jsonl`);
  }

  /**
   * Appends rows with one write (and, with fsync 'always', one flush for the
   * whole group); throws only if the disk refuses the write.
   */
  appendMany(rows: readonly LedgerRow[]): void {
    if (rows.length === 0) return;
    if (this.fd === null) {
      this.fd = fs.openSync(this.activePath(), 'a');
      if (this.fsync === 'always') syncDir(this.dir);
    }
    let text = '';
    for (const row of rows) text += `${encodeLine(row)}\n`;
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    if (this.fsync === 'always') fs.fdatasyncSync(this.fd);
    this.activeRows += rows.length;
  }

  /** Closes the active segment so it can be shipped; later appends go to a new one. Returns its path, or undefined when empty. */
  seal(): string | undefined {
    if (this.fd === null) return undefined;
    const sealed = this.activePath();
    fs.closeSync(this.fd);
    this.fd = null;
    this.activeRows = 0;
    this.seq++;
    return sealed;
  }

  static read(file: string): SegmentContents {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], corruptLines: 0 };
      throw e;
    }
    const rows: LedgerRow[] = [];
    let corruptLines = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const row = decodeLine(line);
        if (row) rows.push(row);
        else corruptLines++;
      } catch {
        corruptLines++;
      }
    }
    return { rows, corruptLines };
  }

  /** Deletes a segment the sink has confirmed. */
  remove(file: string): void {
    fs.rmSync(file, { force: true });
    if (this.fsync === 'always') syncDir(this.dir);
  }

  close(): void {
    this.seal();
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
