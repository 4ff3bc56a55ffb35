/**
 * Exact BPE counts computed OFF the event loop. Building js-tiktoken's
 * o200k tables costs ~3 s of CPU; done on the main thread it would stall
 * every request in flight (and delay the socket closes that cancel
 * upstream calls). So counting runs in one lazily started worker thread,
 * which is unref'd while idle and never keeps the process alive.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { EncodingName } from './count-tokens.js';

export interface CountItem {
  text: string;
  encoding: EncodingName;
}

const require = createRequire(import.meta.url);

// CommonJS source evaluated in the worker; module paths arrive resolved, so it works from src/ and dist/ alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Tiktoken } = require(workerData.lite);
const encoders = new Map();
function enc(name) {
  let e = encoders.get(name);
  if (!e) { e = new Tiktoken(require(workerData.ranks[name])); encoders.set(name, e); }
  return e;
}
parentPort.on('message', ({ id, items }) => {
  try {
    parentPort.postMessage({ id, counts: items.map((i) => (i.text ? enc(i.encoding).encode(i.text, [], []).length : 0)) });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Pending {
  resolve: (counts: number[]) => void;
  reject: (err: Error) => void;
}

export class TokenCounter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;

  count(items: CountItem[]): Promise<number[]> {
    if (items.every((i) => !i.text)) return Promise.resolve(items.map(() => 0));
    const worker = this.ensureWorker();
    const id = ++this.seq;
    return new Promise<number[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, items });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        lite: require.resolve('js-tiktoken/lite'),
        ranks: { o200k_base: require.resolve('js-tiktoken/ranks/o200k_base'), cl100k_base: require.resolve('js-tiktoken/ranks/cl100k_base') },
      },
    });
    worker.unref();
    worker.on('message', (msg: { id: number; counts?: number[]; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) worker.unref();
      if (msg.counts) p.resolve(msg.counts);
      else p.reject(new Error(msg.error ?? 'token counting failed'));
    });
    const failAll = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`token counter exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

/** One counter per process: the tables are big and load once. */
export const sharedTokenCounter = new TokenCounter();
