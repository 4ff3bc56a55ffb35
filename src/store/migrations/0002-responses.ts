import type { AnyKysely, ColumnTypes } from './column-types.js';
import { notNull } from './column-types.js';

/**
 * Stored Responses API state (`/v1/responses` with `store` on). One row per
 * response holds the whole flattened conversation that led to it, so
 * continuing with `previous_response_id` is one primary-key read, and a
 * chain survives its ancestors being deleted. `key_id` is the owner scope
 * (a virtual key id, `master`, or `user:<id>`), checked on every read.
 * No foreign keys: like the ledger, state outlives the key that made it.
 */
export async function createResponsesTable(db: AnyKysely, ct: ColumnTypes): Promise<void> {
  await ct
    .finish(
      db.schema
        .createTable('responses')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('key_id', 'varchar(80)', notNull)
        .addColumn('user_id', 'varchar(64)')
        .addColumn('model', 'varchar(255)', notNull)
        .addColumn('status', 'varchar(16)', notNull)
        .addColumn('previous_response_id', 'varchar(64)')
        .addColumn('request_json', ct.text, notNull)
        .addColumn('output_json', ct.text, notNull)
        .addColumn('usage_json', ct.text)
        .addColumn('created_at', 'bigint', notNull),
    )
    .execute();
  await db.schema.createIndex('responses_key_created_idx').on('responses').columns(['key_id', 'created_at']).execute();
  await db.schema.createIndex('responses_created_idx').on('responses').column('created_at').execute();
  await db.schema.createIndex('responses_previous_idx').on('responses').column('previous_response_id').execute();
}

export async function dropResponsesTable(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('responses').ifExists().execute();
}
