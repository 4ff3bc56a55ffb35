import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callCohere, readJson } from './cohere-http.js';

interface ModelsPage {
  models?: { name?: string }[];
  next_page_token?: string;
}

const MAX_PAGES = 10;

/** `GET /v1/models` (the list stayed on v1), every page, model names only. */
export async function listModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: Record<string, string> = { page_size: '1000' };
    if (token !== undefined) query['page_token'] = token;
    const res = await callCohere(target, { method: 'GET', path: '/v1/models', query }, opts);
    const json = await readJson<ModelsPage>(res, target.provider);
    for (const m of json.models ?? []) if (m.name) names.push(m.name);
    token = json.next_page_token || undefined;
    if (token === undefined) break;
  }
  return names;
}
