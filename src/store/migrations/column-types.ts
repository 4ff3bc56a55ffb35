import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type ColumnDataType, type Expression, type Kysely } from 'kysely';
import type { DatabaseDialect } from '../open-database.js';

/**
 * The few places where one portable schema needs a dialect-specific word.
 * Everything else in the migrations is plain Kysely schema builder.
 */
export interface ColumnTypes {
  dialect: DatabaseDialect;
  /** Unindexed free text and JSON: MySQL TEXT stops at 64 KiB, so use MEDIUMTEXT there. */
  text: ColumnDataType | Expression<unknown>;
  /** Adds an auto-increment BIGINT primary key named `id`. */
  autoId<T extends string>(t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
  /** MySQL: InnoDB, utf8mb4 and a binary collation so uniqueness is case-sensitive like elsewhere. */
  finish<T extends string, C extends string>(t: CreateTableBuilder<T, C>): CreateTableBuilder<T, C>;
}

export function columnTypes(dialect: DatabaseDialect): ColumnTypes {
  return {
    dialect,
    text: dialect === 'mysql' ? sql`mediumtext` : 'text',
    autoId: (t) => {
      if (dialect === 'postgres') return t.addColumn('id', 'bigserial', (c) => c.primaryKey());
      if (dialect === 'mysql') return t.addColumn('id', 'bigint', (c) => c.primaryKey().autoIncrement());
      // SQLite: only INTEGER PRIMARY KEY is the rowid alias.
      return t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    },
    finish: (t) =>
      dialect === 'mysql' ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : t,
  };
}

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
export const zero = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);

// Kysely's migrations are written against an untyped database on purpose:
// the schema they build is what `Schema` then describes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;
