/**
 * Driver errors turned into a few typed ones, so callers (the admin API maps
 * them to 409/400) never parse SQLite, PostgreSQL or MySQL messages.
 */

/** A unique constraint refused the write (e.g. a duplicate username or alias). */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  readonly code = 'store_conflict';
  /** Column(s) at fault when the driver says so, e.g. "email". */
  readonly field: string | undefined;
  constructor(message: string, field: string | undefined, cause: unknown) {
    super(message, { cause });
    this.field = field;
  }
}

/** A foreign key refused the write (e.g. adding a member to a team that does not exist). */
export class StoreReferenceError extends Error {
  override readonly name = 'StoreReferenceError';
  readonly code = 'store_reference';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

interface DriverError {
  code?: unknown;
  errno?: unknown;
  constraint?: unknown;
  message?: unknown;
}

function asDriverError(e: unknown): DriverError {
  return typeof e === 'object' && e !== null ? (e as DriverError) : {};
}

export function isUniqueViolation(e: unknown): boolean {
  const { code, errno } = asDriverError(e);
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505' ||
    code === 'ER_DUP_ENTRY' || errno === 1062
  );
}

export function isForeignKeyViolation(e: unknown): boolean {
  const { code, errno } = asDriverError(e);
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503' || errno === 1452 || errno === 1451;
}

/** Deadlocks and serialization failures: the whole transaction may simply be run again. */
export function isTransientTransactionError(e: unknown): boolean {
  const { code, errno } = asDriverError(e);
  return code === '40P01' || code === '40001' || errno === 1213 || errno === 1205 || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}

const TABLES = ['virtual_keys', 'redemption_codes', 'price_overrides', 'spend_logs', 'users', 'teams', 'channels'];

/** Our constraint names are `<table>_<columns>_uq`; SQLite names `table.column` itself. */
function conflictField(e: unknown): string | undefined {
  const { constraint, message } = asDriverError(e);
  const text = `${typeof constraint === 'string' ? constraint : ''} ${typeof message === 'string' ? message : ''}`;
  const sqlite = /UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)/.exec(text);
  if (sqlite?.[1]) return sqlite[1].split(', ').map((c) => c.split('.').pop()).join(',');
  const name = /\b(\w+)_uq\b/.exec(text)?.[1];
  const table = name ? TABLES.find((t) => name.startsWith(`${t}_`)) : undefined;
  return name && table ? name.slice(table.length + 1) : undefined;
}

/** Rethrows driver constraint errors as typed store errors; anything else unchanged. */
export function mapStoreError(e: unknown, entity: string): never {
  if (isUniqueViolation(e)) {
    const field = conflictField(e);
    throw new StoreConflictError(`${entity} already exists${field ? ` (duplicate ${field})` : ''}`, field, e);
  }
  if (isForeignKeyViolation(e)) throw new StoreReferenceError(`${entity} refers to a row that does not exist`, e);
  throw e;
}

/** Runs `fn`, mapping constraint errors for `entity`. */
export async function guard<T>(entity: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    mapStoreError(e, entity);
  }
}
