import type { AnyKysely } from './column-types.js';

/**
 * Which API a ledger row was served on (chat, embeddings, messages,
 * responses, images, …): usage reports split by it, and LiteLLM's spend
 * logs name it as call_type. Rows written before this migration have none.
 * No index: it is read with the row and filtered only together with
 * indexed columns.
 */
export async function addSpendEndpoint(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('spend_logs').addColumn('endpoint', 'varchar(32)').execute();
}

export async function dropSpendEndpoint(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('spend_logs').dropColumn('endpoint').execute();
}
