import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callOllama, readJson } from './ollama-http.js';
import type { OllamaTagsResponse } from './ollama-wire.js';

/** `GET /api/tags`: the models pulled on this server, by name ("llama3.2:latest"). */
export async function listModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
  const res = await callOllama(target, { method: 'GET', path: '/api/tags' }, opts);
  const json = await readJson<OllamaTagsResponse>(res, target.provider);
  return (json.models ?? []).map((m) => m.name ?? m.model ?? '').filter((n) => n !== '');
}
