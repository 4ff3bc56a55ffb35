import { redactPatterns } from '../protocols/http/index.js';

/**
 * A tiny JSON-lines logger. Secrets never reach it: callers log ids and key
 * prefixes, never keys, credentials or request bodies; and as a last line
 * of defence every line is masked for well-known key formats (sk-…, AIza…,
 * AKIA…, Bearer …, ?key=…) before it is written.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: Level = (process.env.SWITCHYARD_LOG_LEVEL as Level | undefined) ?? 'info', out: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = ORDER[level] ?? ORDER.info;
  const emit = (lvl: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < min) return;
    out(redactPatterns(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
