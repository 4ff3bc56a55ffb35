import type { AnyKysely, ColumnTypes } from './column-types.js';
import { notNull, zero } from './column-types.js';

/** Provider credentials (One-API channels) and the prepaid-credit tables. */
export async function createChannelAndCreditTables(db: AnyKysely, ct: ColumnTypes): Promise<void> {
  await ct
    .finish(
      db.schema
        .createTable('channels')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', notNull)
        .addColumn('provider', 'varchar(64)', notNull)
        .addColumn('base_url', 'varchar(1024)')
        .addColumn('models_json', ct.text)
        .addColumn('model_mapping_json', ct.text)
        .addColumn('priority', 'integer', zero)
        .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('allowed_teams_json', ct.text)
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('disabled_reason', ct.text)
        .addColumn('config_json', ct.text)
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addUniqueConstraint('channels_name_uq', ['name']),
    )
    .execute();

  await ct
    .finish(
      db.schema
        .createTable('channel_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('channel_id', 'varchar(64)', (c) => c.notNull().references('channels.id').onDelete('cascade'))
        .addColumn('encrypted_key', ct.text, notNull)
        .addColumn('key_hint', 'varchar(16)', notNull)
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('disabled_reason', ct.text)
        .addColumn('last_error_at', 'bigint')
        .addColumn('last_error', ct.text)
        .addColumn('created_at', 'bigint', notNull),
    )
    .execute();
  await db.schema.createIndex('channel_keys_channel_idx').on('channel_keys').column('channel_id').execute();

  await ct
    .finish(
      ct
        .autoId(db.schema.createTable('credit_transactions'))
        .addColumn('user_id', 'varchar(64)', notNull)
        .addColumn('kind', 'varchar(16)', notNull)
        .addColumn('amount_nanos', 'bigint', notNull)
        .addColumn('balance_after_nanos', 'bigint', notNull)
        .addColumn('reason', ct.text)
        .addColumn('actor', 'varchar(64)')
        .addColumn('reference', 'varchar(128)')
        .addColumn('created_at', 'bigint', notNull),
    )
    .execute();
  await db.schema
    .createIndex('credit_transactions_user_created_idx')
    .on('credit_transactions')
    .columns(['user_id', 'created_at'])
    .execute();

  await ct
    .finish(
      db.schema
        .createTable('redemption_codes')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('code_hash', 'varchar(64)', notNull)
        .addColumn('code_hint', 'varchar(32)', notNull)
        .addColumn('label', 'varchar(255)')
        .addColumn('amount_nanos', 'bigint', notNull)
        .addColumn('max_uses', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('used_count', 'integer', zero)
        .addColumn('expires_at', 'bigint')
        .addColumn('disabled', 'integer', zero)
        .addColumn('created_by', 'varchar(64)')
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('last_redeemed_at', 'bigint')
        .addUniqueConstraint('redemption_codes_code_hash_uq', ['code_hash']),
    )
    .execute();

  // One row per (code, user): the primary key is what stops a user redeeming a multi-use code twice.
  await ct
    .finish(
      db.schema
        .createTable('redemption_uses')
        .addColumn('code_id', 'varchar(64)', (c) => c.notNull().references('redemption_codes.id').onDelete('cascade'))
        .addColumn('user_id', 'varchar(64)', notNull)
        .addColumn('redeemed_at', 'bigint', notNull)
        .addPrimaryKeyConstraint('redemption_uses_pk', ['code_id', 'user_id']),
    )
    .execute();
}
