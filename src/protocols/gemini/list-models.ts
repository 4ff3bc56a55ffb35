import type { CallOptions, UpstreamTarget } from '../../spec/index.js';
import { callGemini, readJson } from './gemini-http.js';

interface ListModelsPage {
  models?: { name?: string }[];
  nextPageToken?: string;
}

const MAX_PAGES = 20;

/** `GET /models`, every page, names without the `models/` prefix. */
export async function listModels(target: UpstreamTarget, opts: CallOptions): Promise<string[]> {
  const names: string[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: Record<string, string> = { pageSize: '1000' };
    if (pageToken !== undefined) query['pageToken'] = pageToken;
    const res = await callGemini(target, { method: 'GET', path: '/models', query }, opts);
    const json = await readJson<ListModelsPage>(res, target.provider);
    for (const m of json.models ?? []) if (m.name) names.push(m.name.replace(/^models\//, ''));
    pageToken = json.nextPageToken || undefined;
    if (pageToken === undefined) break;
  }
  return names;
}
