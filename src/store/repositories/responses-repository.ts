import type { Kysely } from 'kysely';
import { fromJson, num, toJson } from '../row-codec.js';
import type { Schema } from '../schema.js';
import type { RepositoryContext } from './repository-context.js';

/** Row shape of `responses` (migration 0002). */
export interface ResponsesTable {
  id: string;
  key_id: string;
  user_id: string | null;
  model: string;
  status: string;
  previous_response_id: string | null;
  request_json: string;
  output_json: string;
  usage_json: string | null;
  created_at: number;
}

/**
 * One stored Responses API response. `request` holds the flattened input
 * history after resolution (plus instructions and tools), `response` the
 * response object as returned; both are JSON the dialect owns, opaque here.
 */
export interface StoredResponse {
  id: string;
  /** Owner scope: a virtual key id, 'master', or 'user:<id>'. Reads by anyone else find nothing. */
  ownerId: string;
  userId: string | null;
  model: string;
  status: string;
  previousResponseId: string | null;
  request: unknown;
  response: unknown;
  usage: unknown;
  /** Epoch ms. */
  createdAt: number;
}

export class ResponsesRepository {
  private readonly db: Kysely<Schema & { responses: ResponsesTable }>;

  constructor(ctx: RepositoryContext) {
    this.db = ctx.database.db.withTables<{ responses: ResponsesTable }>();
  }

  async save(r: StoredResponse): Promise<void> {
    await this.db
      .insertInto('responses')
      .values({
        id: r.id,
        key_id: r.ownerId,
        user_id: r.userId,
        model: r.model,
        status: r.status,
        previous_response_id: r.previousResponseId,
        request_json: JSON.stringify(r.request),
        output_json: JSON.stringify(r.response),
        usage_json: toJson(r.usage),
        created_at: r.createdAt,
      })
      .execute();
  }

  /** A single primary-key read; the owner is part of the condition, so another owner's id is simply absent. */
  async find(id: string, ownerId: string): Promise<StoredResponse | undefined> {
    const row = await this.db.selectFrom('responses').selectAll().where('id', '=', id).where('key_id', '=', ownerId).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      ownerId: row.key_id,
      userId: row.user_id,
      model: row.model,
      status: row.status,
      previousResponseId: row.previous_response_id,
      request: JSON.parse(row.request_json) as unknown,
      response: JSON.parse(row.output_json) as unknown,
      usage: fromJson<unknown>(row.usage_json, null),
      createdAt: num(row.created_at),
    };
  }

  async delete(id: string, ownerId: string): Promise<boolean> {
    const res = await this.db.deleteFrom('responses').where('id', '=', id).where('key_id', '=', ownerId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Retention: removes responses created before `cutoffMs`; returns how many. */
  async deleteCreatedBefore(cutoffMs: number): Promise<number> {
    const res = await this.db.deleteFrom('responses').where('created_at', '<', cutoffMs).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
