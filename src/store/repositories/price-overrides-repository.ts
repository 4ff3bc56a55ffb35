import type { Selectable } from 'kysely';
import { newId } from '../ids.js';
import { defined, num, numOrNull } from '../row-codec.js';
import type { PriceOverridesTable } from '../schema.js';
import { guard } from '../store-errors.js';
import type { RepositoryContext } from './repository-context.js';

/** Admin-set prices that win over the bundled price list. Unit: nano-USD per 1M tokens (exact for any $/1M price to 1e-9). */
export interface PriceOverride {
  id: string;
  /** Catalog provider id, or '*' for any. */
  provider: string;
  /** Exact model name, or a glob like `gpt-4o*`; matching is the accounting layer's. */
  modelPattern: string;
  inputNanosPerMTok: number | null;
  outputNanosPerMTok: number | null;
  cacheReadNanosPerMTok: number | null;
  cacheWriteNanosPerMTok: number | null;
  perRequestNanos: number | null;
  createdAt: number;
  updatedAt: number;
}

export type PriceOverrideInput = Omit<PriceOverride, 'id' | 'createdAt' | 'updatedAt' | 'provider'> & { provider?: string };

function toOverride(r: Selectable<PriceOverridesTable>): PriceOverride {
  return {
    id: r.id,
    provider: r.provider,
    modelPattern: r.model_pattern,
    inputNanosPerMTok: numOrNull(r.input_nanos_per_mtok),
    outputNanosPerMTok: numOrNull(r.output_nanos_per_mtok),
    cacheReadNanosPerMTok: numOrNull(r.cache_read_nanos_per_mtok),
    cacheWriteNanosPerMTok: numOrNull(r.cache_write_nanos_per_mtok),
    perRequestNanos: numOrNull(r.per_request_nanos),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export class PriceOverridesRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  private get db() {
    return this.ctx.database.db;
  }

  /** Creates or replaces the override for (provider, modelPattern). */
  async upsert(input: PriceOverrideInput): Promise<PriceOverride> {
    const provider = input.provider ?? '*';
    const now = this.ctx.now();
    const prices = {
      input_nanos_per_mtok: input.inputNanosPerMTok,
      output_nanos_per_mtok: input.outputNanosPerMTok,
      cache_read_nanos_per_mtok: input.cacheReadNanosPerMTok,
      cache_write_nanos_per_mtok: input.cacheWriteNanosPerMTok,
      per_request_nanos: input.perRequestNanos,
    };
    for (const [k, v] of Object.entries(prices)) {
      if (v !== null && v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new RangeError(`${k} must be a non-negative integer`);
    }
    const updated = await this.db
      .updateTable('price_overrides')
      .set({ ...defined(prices), updated_at: now })
      .where('provider', '=', provider)
      .where('model_pattern', '=', input.modelPattern)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) {
      await guard('price override', () =>
        this.db
          .insertInto('price_overrides')
          .values({
            id: newId('price'),
            provider,
            model_pattern: input.modelPattern,
            input_nanos_per_mtok: prices.input_nanos_per_mtok ?? null,
            output_nanos_per_mtok: prices.output_nanos_per_mtok ?? null,
            cache_read_nanos_per_mtok: prices.cache_read_nanos_per_mtok ?? null,
            cache_write_nanos_per_mtok: prices.cache_write_nanos_per_mtok ?? null,
            per_request_nanos: prices.per_request_nanos ?? null,
            created_at: now,
            updated_at: now,
          })
          .execute(),
      );
    }
    const r = await this.db
      .selectFrom('price_overrides')
      .selectAll()
      .where('provider', '=', provider)
      .where('model_pattern', '=', input.modelPattern)
      .executeTakeFirstOrThrow();
    return toOverride(r);
  }

  async list(): Promise<PriceOverride[]> {
    const rows = await this.db.selectFrom('price_overrides').selectAll().orderBy('provider').orderBy('model_pattern').execute();
    return rows.map(toOverride);
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('price_overrides').where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }
}
