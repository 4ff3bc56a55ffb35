import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AbortRecord, FakeScenario, RecordedRequest } from './scenario.js';

export interface FakeHandlerContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  recorded: RecordedRequest;
  /** The scenario for `model`, with failTimes already applied (error removed once exhausted). */
  scenarioFor(model: string): FakeScenario;
  sleep(ms: number): Promise<void>;
  /** True once the client has gone away. */
  closed(): boolean;
  /** Marks the response complete (so a later close is not counted as an abort). */
  finished(): void;
  /** Records the model name this request was for (abort bookkeeping). */
  setModel(model: string): void;
}

/**
 * Common machinery of the fake providers: a node:http server on 127.0.0.1
 * with a random port, per-model scenarios, a log of received requests and of
 * requests the client abandoned mid-answer. Subclasses only speak their wire
 * format in `handle`.
 */
export abstract class FakeServer {
  readonly requests: RecordedRequest[] = [];
  readonly aborts: AbortRecord[] = [];
  private readonly scenarios = new Map<string, FakeScenario>();
  private readonly failures = new Map<string, number>();
  private server: http.Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();
  url = '';

  abstract readonly name: string;
  protected abstract handle(ctx: FakeHandlerContext): Promise<void>;

  script(model: string, scenario: FakeScenario): this {
    this.scenarios.set(model, scenario);
    this.failures.delete(model);
    return this;
  }

  reset(): void {
    this.scenarios.clear();
    this.failures.clear();
    this.requests.length = 0;
    this.aborts.length = 0;
  }

  /** Requests whose path contains `fragment` (e.g. "/chat/completions"). */
  requestsTo(fragment: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url.includes(fragment));
  }

  lastRequest(): RecordedRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.dispatch(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const { port: actual } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${actual}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private scenarioFor(model: string): FakeScenario {
    const s = this.scenarios.get(model) ?? {};
    if (s.error && s.failTimes !== undefined) {
      const used = this.failures.get(model) ?? 0;
      if (used >= s.failTimes) return { ...s, error: undefined };
      this.failures.set(model, used + 1);
    }
    return s;
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const rawBody = bytes.toString('utf8');
    let body: any = null;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = null;
      }
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, rawBody, bytes, receivedAt: Date.now() };
    this.requests.push(recorded);
    let done = false;
    let model = '';
    res.on('close', () => {
      if (!done && !res.writableFinished) this.aborts.push({ url: recorded.url, model, at: Date.now() });
    });
    const ctx: FakeHandlerContext = {
      req,
      res,
      recorded,
      scenarioFor: (m) => this.scenarioFor(m),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      closed: () => res.destroyed || res.writableEnded,
      finished: () => {
        done = true;
      },
      setModel: (m) => {
        model = m;
      },
    };
    try {
      await this.handle(ctx);
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake ${this.name} crashed: ${(err as Error).message}` } }));
      } else res.destroy();
    }
  }
}

/** Applies the scenario's pre-answer behaviour: hang or latency. Returns false if the request must not be answered. */
export async function preamble(ctx: FakeHandlerContext, s: FakeScenario): Promise<boolean> {
  if (s.hang) return false;
  if (s.latencyMs) await ctx.sleep(s.latencyMs);
  return !ctx.closed();
}
