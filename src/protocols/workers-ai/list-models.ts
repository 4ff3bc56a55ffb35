import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callWorkersAi, readJson } from './workers-ai-http.js';
import type { WorkersAiEnvelope, WorkersAiModelInfo } from './workers-ai-wire.js';

/** `GET …/ai/models/search`: the catalogue this account can run, by name ("@cf/meta/llama-3.1-8b-instruct"). */
export async function listModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
  const res = await callWorkersAi(target, { method: 'GET', path: '/models/search', query: { per_page: '1000' } }, opts);
  const json = await readJson<WorkersAiEnvelope<WorkersAiModelInfo[]>>(res, target.provider);
  return (json.result ?? []).map((m) => m.name ?? '').filter((n) => n !== '');
}
