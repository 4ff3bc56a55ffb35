import type { AnyKysely, ColumnTypes } from './column-types.js';
import { notNull, zero } from './column-types.js';

/** Users, teams, memberships and virtual keys: who may call, and their budgets. */
export async function createAccountTables(db: AnyKysely, ct: ColumnTypes): Promise<void> {
  await ct
    .finish(
      db.schema
        .createTable('users')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(255)', notNull)
        .addColumn('email', 'varchar(255)')
        .addColumn('display_name', 'varchar(255)')
        .addColumn('role', 'varchar(16)', (c) => c.notNull().defaultTo('member'))
        .addColumn('password_hash', 'varchar(255)')
        .addColumn('balance_nanos', 'bigint', zero)
        .addColumn('max_budget_nanos', 'bigint')
        .addColumn('spend_nanos', 'bigint', zero)
        .addColumn('budget_duration', 'varchar(32)')
        .addColumn('budget_reset_at', 'bigint')
        .addColumn('disabled', 'integer', zero)
        .addColumn('metadata_json', ct.text)
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addUniqueConstraint('users_username_uq', ['username'])
        .addUniqueConstraint('users_email_uq', ['email']),
    )
    .execute();
  await db.schema.createIndex('users_budget_reset_at_idx').on('users').column('budget_reset_at').execute();

  await ct
    .finish(
      db.schema
        .createTable('teams')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', notNull)
        .addColumn('max_budget_nanos', 'bigint')
        .addColumn('spend_nanos', 'bigint', zero)
        .addColumn('budget_duration', 'varchar(32)')
        .addColumn('budget_reset_at', 'bigint')
        .addColumn('rpm', 'integer')
        .addColumn('tpm', 'bigint')
        .addColumn('allowed_models_json', ct.text)
        .addColumn('price_multiplier_ppm', 'bigint', (c) => c.notNull().defaultTo(1_000_000))
        .addColumn('disabled', 'integer', zero)
        .addColumn('metadata_json', ct.text)
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addUniqueConstraint('teams_name_uq', ['name']),
    )
    .execute();
  await db.schema.createIndex('teams_budget_reset_at_idx').on('teams').column('budget_reset_at').execute();

  await ct
    .finish(
      db.schema
        .createTable('team_members')
        .addColumn('team_id', 'varchar(64)', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('role', 'varchar(16)', (c) => c.notNull().defaultTo('member'))
        .addColumn('created_at', 'bigint', notNull)
        .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id']),
    )
    .execute();
  await db.schema.createIndex('team_members_user_idx').on('team_members').column('user_id').execute();

  // A key dies with its owner: an orphaned key would escape the owner's budget.
  await ct
    .finish(
      db.schema
        .createTable('virtual_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('key_hash', 'varchar(64)', notNull)
        .addColumn('key_prefix', 'varchar(32)', notNull)
        .addColumn('alias', 'varchar(255)')
        .addColumn('user_id', 'varchar(64)', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('team_id', 'varchar(64)', (c) => c.references('teams.id').onDelete('cascade'))
        .addColumn('allowed_models_json', ct.text)
        .addColumn('model_groups_json', ct.text)
        .addColumn('max_budget_nanos', 'bigint')
        .addColumn('soft_budget_nanos', 'bigint')
        .addColumn('spend_nanos', 'bigint', zero)
        .addColumn('budget_duration', 'varchar(32)')
        .addColumn('budget_reset_at', 'bigint')
        .addColumn('rpm', 'integer')
        .addColumn('tpm', 'bigint')
        .addColumn('max_parallel', 'integer')
        .addColumn('expires_at', 'bigint')
        .addColumn('allowed_ips_json', ct.text)
        .addColumn('metadata_json', ct.text)
        .addColumn('tags_json', ct.text)
        .addColumn('blocked', 'integer', zero)
        .addColumn('last_used_at', 'bigint')
        .addColumn('created_by', 'varchar(64)')
        .addColumn('created_at', 'bigint', notNull)
        .addColumn('updated_at', 'bigint', notNull)
        .addUniqueConstraint('virtual_keys_key_hash_uq', ['key_hash'])
        .addUniqueConstraint('virtual_keys_alias_uq', ['alias']),
    )
    .execute();
  await db.schema.createIndex('virtual_keys_user_idx').on('virtual_keys').column('user_id').execute();
  await db.schema.createIndex('virtual_keys_team_idx').on('virtual_keys').column('team_id').execute();
  await db.schema.createIndex('virtual_keys_budget_reset_at_idx').on('virtual_keys').column('budget_reset_at').execute();
}
