import { z } from 'zod';
import { modelInfoSchema } from '../model-info.js';
import { nativeRouterFields, routerFields, strategyField } from '../router-settings.js';
import { byteSize, headerMap, httpUrl, positiveInt, positiveNumber, seconds, stringList } from '../values.js';

/**
 * Switchyard's own YAML format (documented in docs/config.md). Strict: an
 * unknown key is a typo until proven otherwise, so it fails with its path.
 */

const port = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v),
  z.number().int().min(0).max(65_535),
);

export const nativeDeploymentSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  id: z.string().min(1).optional(),
  api_base: httpUrl.optional(),
  api_key: z.string().optional(),
  api_version: z.string().min(1).optional(),
  weight: positiveNumber.optional(),
  order: positiveInt.optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  timeout: seconds.optional(),
  stream_timeout: seconds.optional(),
  tags: stringList.optional(),
  headers: headerMap.optional(),
  model_info: modelInfoSchema.optional(),
  /** Provider options by namespace (e.g. `openai: {...}`), passed to the protocol. */
  options: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  /** Provider inputs beyond the key, by the catalog entry's names (e.g. `region`, `project`). */
  settings: z.record(z.string(), z.string()).optional(),
  /** Secret provider inputs (e.g. `secretAccessKey`, `serviceAccountJson`); use env references. */
  credentials: z.record(z.string(), z.string()).optional(),
});
export type NativeDeployment = z.infer<typeof nativeDeploymentSchema>;

export const nativeConfigSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: port.optional(),
      body_limit: byteSize.optional(),
      // "*", "none", a comma list or a YAML list of origins; checked by parseCorsOrigins in the loader.
      cors_origins: z.union([z.string(), z.array(z.string())]).optional(),
    })
    .optional(),
  master_key: z.string().min(1).optional(),
  database_url: z.string().min(1).optional(),
  data_dir: z.string().min(1).optional(),
  // Each entry (one deployment or a list) is validated by the loader so error paths match the file's shape.
  models: z.record(z.string().min(1), z.unknown()).optional(),
  router: z.strictObject({ strategy: strategyField.optional(), ...routerFields, ...nativeRouterFields }).optional(),
  accounting: z.strictObject({ unknown_price: z.enum(['refuse', 'zero']).optional() }).optional(),
});
export type NativeConfig = z.infer<typeof nativeConfigSchema>;
