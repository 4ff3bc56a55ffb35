import { sql, type RawBuilder } from 'kysely';

/**
 * Case-insensitive "contains" that behaves the same on all three dialects:
 * SQLite's LIKE ignores ASCII case, PostgreSQL's doesn't, MySQL's follows the
 * collation (binary here); and only an explicit ESCAPE works everywhere.
 */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  const pattern = `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;
}
