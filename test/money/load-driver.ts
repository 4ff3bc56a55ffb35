/**
 * A bounded load of chat requests (half JSON, half streams) that records
 * exactly which requests the client saw complete: status 200 and a parsed
 * body with usage, or for a stream the `data: [DONE]` line. Every request
 * carries its own x-request-id, so the test can look each one up in the
 * ledger afterwards.
 */
export interface LoadKey {
  name: string;
  secret: string;
}

export interface CompletedRequest {
  id: string;
  key: string;
  stream: boolean;
  /** x-switchyard-cost of a JSON answer (a stream's headers leave before its cost is known). */
  costHeader: string | null;
}

export interface LoadOptions {
  baseURL: string;
  keys: LoadKey[];
  body: Record<string, unknown>;
  label: string;
  concurrency: number;
  /** Hard cap on requests issued, whatever happens. */
  maxRequests: number;
  /** Called after each completion (the test decides when to kill). */
  onComplete?: (count: number) => void;
}

export interface Load {
  completed: CompletedRequest[];
  /** Requests that got status 200 headers and are still being read. */
  open: Set<string>;
  issued(): number;
  failures: string[];
  /** Workers stop issuing; requests already sent still run to their end. */
  stop(): void;
  done: Promise<void>;
}

export function startLoad(o: LoadOptions): Load {
  const completed: CompletedRequest[] = [];
  const open = new Set<string>();
  const failures: string[] = [];
  let issued = 0;
  let stopped = false;

  const one = async (n: number): Promise<void> => {
    const id = `${o.label}-${n}`;
    const key = o.keys[n % o.keys.length]!;
    const stream = n % 2 === 1;
    const body = { ...o.body, stream, ...(stream && n % 4 === 1 ? { stream_options: { include_usage: true } } : {}) };
    try {
      const res = await fetch(`${o.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) {
        failures.push(`${id}: HTTP ${res.status} ${await res.text().catch(() => '')}`);
        return;
      }
      open.add(id);
      const text = await res.text();
      const ok = stream ? text.includes('data: [DONE]') : (JSON.parse(text) as { usage?: { total_tokens?: number } }).usage?.total_tokens !== undefined;
      if (!ok) {
        failures.push(`${id}: incomplete body`);
        return;
      }
      completed.push({ id, key: key.name, stream, costHeader: stream ? null : res.headers.get('x-switchyard-cost') });
      o.onComplete?.(completed.length);
    } catch (err) {
      failures.push(`${id}: ${(err as Error).message}`);
      // The server is gone (killed): stop hammering a closed port.
      stopped = true;
    } finally {
      open.delete(id);
    }
  };

  const worker = async (): Promise<void> => {
    while (!stopped && issued < o.maxRequests) await one(issued++);
  };
  const done = Promise.all(Array.from({ length: o.concurrency }, worker)).then(() => undefined);
  return {
    completed,
    open,
    issued: () => issued,
    failures,
    stop: () => {
      stopped = true;
    },
    done,
  };
}
