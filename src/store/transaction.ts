import type { Kysely, Transaction } from 'kysely';
import type { Database } from './open-database.js';
import type { Schema } from './schema.js';
import { isTransientTransactionError } from './store-errors.js';

export type Tx = Transaction<Schema>;
export type Executor = Kysely<Schema> | Tx;

const MAX_ATTEMPTS = 5;

/**
 * Runs `fn` in a transaction and runs it again on a deadlock or
 * serialization failure, which PostgreSQL and InnoDB may raise when money
 * rows are updated concurrently. `fn` must therefore have no side effects
 * outside the transaction.
 */
export async function inTransaction<T>(database: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute(fn);
    } catch (e) {
      if (attempt >= MAX_ATTEMPTS || !isTransientTransactionError(e)) throw e;
      // Short random backoff so the two losers of a deadlock don't meet again.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
