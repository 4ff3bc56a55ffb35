import { z } from 'zod';
import { formatPath, type PathSegment } from '../config-error.js';
import { modelInfoSchema } from '../model-info.js';
import { fallbackMap, routerFields, strategyField } from '../router-settings.js';
import { headerMap, httpUrl, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, seconds, stringList } from '../values.js';

/**
 * LiteLLM's proxy config.yaml, the parts Switchyard maps. Objects are loose:
 * keys not listed here are valid LiteLLM and are reported by
 * `unsupportedLiteLLMKeys` as one start-up warning, never silently dropped.
 */

export const litellmParamsSchema = z.looseObject({
  model: z.string().min(1),
  custom_llm_provider: z.string().min(1).optional(),
  api_base: httpUrl.optional(),
  /** LiteLLM's name for a Bedrock runtime endpoint override: the same thing as api_base. */
  aws_bedrock_runtime_endpoint: httpUrl.optional(),
  api_key: z.string().optional(),
  api_version: z.string().min(1).optional(),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  weight: positiveNumber.optional(),
  order: positiveInt.optional(),
  timeout: seconds.optional(),
  stream_timeout: seconds.optional(),
  tags: stringList.optional(),
  input_cost_per_token: nonNegativeNumber.optional(),
  output_cost_per_token: nonNegativeNumber.optional(),
  extra_headers: headerMap.optional(),
  headers: headerMap.optional(),
});

export const modelEntrySchema = z.looseObject({
  model_name: z.string().min(1),
  litellm_params: litellmParamsSchema,
  model_info: modelInfoSchema.nullish(),
});

export const routerSettingsSchema = z.looseObject({ routing_strategy: strategyField.optional(), ...routerFields });

export const litellmSettingsSchema = z.looseObject({
  num_retries: nonNegativeInt.optional(),
  request_timeout: seconds.optional(),
  fallbacks: fallbackMap.optional(),
  default_fallbacks: z.array(z.string().min(1)).optional(),
  context_window_fallbacks: fallbackMap.optional(),
  content_policy_fallbacks: fallbackMap.optional(),
});

export const litellmConfigSchema = z.looseObject({
  model_list: z.array(modelEntrySchema).nullish(),
  general_settings: z
    .looseObject({ master_key: z.string().min(1).optional(), database_url: z.string().min(1).optional() })
    .nullish(),
  router_settings: routerSettingsSchema.nullish(),
  litellm_settings: litellmSettingsSchema.nullish(),
  environment_variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullish(),
});
export type LiteLLMConfig = z.infer<typeof litellmConfigSchema>;

/** Keys mapped per section; everything else is listed in the start-up warning. */
const SUPPORTED: Record<string, ReadonlySet<string>> = {
  top: new Set(['model_list', 'general_settings', 'router_settings', 'litellm_settings', 'environment_variables']),
  model: new Set(['model_name', 'litellm_params', 'model_info']),
  params: new Set(Object.keys(litellmParamsSchema.shape)),
  general: new Set(['master_key', 'database_url']),
  router: new Set(Object.keys(routerSettingsSchema.shape)),
  litellm: new Set(Object.keys(litellmSettingsSchema.shape)),
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Paths of keys that are valid LiteLLM but not (yet) served by Switchyard. `model_info` is free-form metadata. */
export function unsupportedLiteLLMKeys(raw: Record<string, unknown>, extraParamsFor: (model: unknown, customProvider: unknown) => string[] = () => []): string[] {
  const out: string[] = [];
  const check = (obj: unknown, allowed: ReadonlySet<string>, at: PathSegment[]) => {
    if (!isRecord(obj)) return;
    for (const k of Object.keys(obj)) if (!allowed.has(k)) out.push(formatPath([...at, k]));
  };
  check(raw, SUPPORTED.top!, []);
  check(raw.general_settings, SUPPORTED.general!, ['general_settings']);
  check(raw.router_settings, SUPPORTED.router!, ['router_settings']);
  check(raw.litellm_settings, SUPPORTED.litellm!, ['litellm_settings']);
  if (Array.isArray(raw.model_list)) {
    raw.model_list.forEach((m, i) => {
      check(m, SUPPORTED.model!, ['model_list', i]);
      if (!isRecord(m) || !isRecord(m.litellm_params)) return;
      // Provider-specific inputs (aws_region_name, vertex_project …) are supported for the provider that reads them.
      const extra = extraParamsFor(m.litellm_params.model, m.litellm_params.custom_llm_provider);
      const allowed = extra.length > 0 ? new Set([...SUPPORTED.params!, ...extra]) : SUPPORTED.params!;
      check(m.litellm_params, allowed, ['model_list', i, 'litellm_params']);
    });
  }
  return out;
}
