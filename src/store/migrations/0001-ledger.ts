import type { AnyKysely, ColumnTypes } from './column-types.js';
import { notNull, zero } from './column-types.js';

const TOKEN_COLUMNS = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens'] as const;

/**
 * The spend ledger and what hangs off it: daily aggregates, the audit log,
 * price overrides and settings. spend_logs has no foreign keys on purpose —
 * the ledger outlives the keys, users and teams it names.
 */
export async function createLedgerTables(db: AnyKysely, ct: ColumnTypes): Promise<void> {
  let logs = ct
    .autoId(db.schema.createTable('spend_logs'))
    .addColumn('request_id', 'varchar(128)', notNull)
    .addColumn('key_id', 'varchar(64)')
    .addColumn('user_id', 'varchar(64)')
    .addColumn('team_id', 'varchar(64)')
    .addColumn('public_model', 'varchar(255)', notNull)
    .addColumn('deployment', 'varchar(255)')
    .addColumn('provider', 'varchar(64)')
    .addColumn('upstream_model', 'varchar(255)');
  for (const col of TOKEN_COLUMNS) logs = logs.addColumn(col, 'bigint', zero);
  logs = logs
    .addColumn('cost_nanos', 'bigint', zero)
    .addColumn('status', 'varchar(16)', notNull)
    .addColumn('http_status', 'integer')
    .addColumn('error_code', 'varchar(64)')
    .addColumn('latency_ms', 'integer')
    .addColumn('ttft_ms', 'integer')
    .addColumn('stream', 'integer', zero)
    .addColumn('cache_hit', 'integer', zero)
    .addColumn('client_ip', 'varchar(64)')
    .addColumn('user_agent', ct.text)
    .addColumn('warning', ct.text)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('fallbacks', 'integer', zero)
    .addColumn('created_at', 'bigint', notNull)
    .addUniqueConstraint('spend_logs_request_id_uq', ['request_id']);
  await ct.finish(logs).execute();
  const idx = (name: string, cols: string[]) => db.schema.createIndex(name).on('spend_logs').columns(cols).execute();
  await idx('spend_logs_created_idx', ['created_at']);
  await idx('spend_logs_key_created_idx', ['key_id', 'created_at']);
  await idx('spend_logs_user_created_idx', ['user_id', 'created_at']);
  await idx('spend_logs_team_created_idx', ['team_id', 'created_at']);
  await idx('spend_logs_model_created_idx', ['public_model', 'created_at']);
  await idx('spend_logs_status_idx', ['status']);

  let daily = db.schema
    .createTable('spend_daily')
    .addColumn('day', 'varchar(10)', notNull)
    .addColumn('kind', 'varchar(8)', notNull)
    .addColumn('dim_id', 'varchar(255)', notNull)
    .addColumn('requests', 'bigint', zero)
    .addColumn('error_requests', 'bigint', zero);
  for (const col of TOKEN_COLUMNS) daily = daily.addColumn(col, 'bigint', zero);
  daily = daily.addColumn('cost_nanos', 'bigint', zero).addPrimaryKeyConstraint('spend_daily_pk', ['day', 'kind', 'dim_id']);
  await ct.finish(daily).execute();
  await db.schema.createIndex('spend_daily_kind_dim_day_idx').on('spend_daily').columns(['kind', 'dim_id', 'day']).execute();

  await ct
    .finish(
      ct
        .autoId(db.schema.createTable('audit_log'))
        .addColumn('actor', 'varchar(64)', notNull)
        .addColumn('action', 'varchar(64)', notNull)
        .addColumn('entity_type', 'varchar(32)', notNull)
        .addColumn('entity_id', 'varchar(128)')
        .addColumn('before_json', ct.text)
        .addColumn('after_json', ct.text)
        .addColumn('at', 'bigint', notNull),
    )
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity_type', 'entity_id', 'at']).execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor', 'at']).execute();

  await ct
    .finish(
      db.schema
        .createTable('price_overrides')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('provider', 'varchar(64)', (c) => c.notNull().defaultTo('*'))
        .addColumn('model_pattern', 'varchar(255)', notNull)
        .addColumn('input_nanos_per_mtok', 'bigint')
        .addColumn('output_nanos_per_mtok', 'bigint')
        .addColumn('cache_read_nanos_per_mtok', 'bigint')
        .addColumn('cache_write_nanos_per_mtok', 'bigint')
        .addColumn('per_request_nanos', 'bigint')
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addUniqueConstraint('price_overrides_provider_model_uq', ['provider', 'model_pattern']),
    )
    .execute();

  await ct
    .finish(
      db.schema
        .createTable('settings')
        .addColumn('key', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('value', ct.text, notNull)
        .addColumn('updated_at', 'bigint', notNull),
    )
    .execute();
}

