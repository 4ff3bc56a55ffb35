import type { UpstreamTarget } from '../../spec/index.js';
import { joinUrl } from '../http/index.js';

/**
 * Ollama's native routes live under `/api` on the server root. Bases are
 * written every way in the wild ("http://host:11434", ".../api", or the
 * OpenAI-compatible ".../v1"), so the suffix is dropped before joining.
 */
export function ollamaUrl(target: UpstreamTarget, path: string): string {
  const root = target.baseUrl.replace(/\/+$/, '').replace(/\/(api|v1)$/, '');
  return joinUrl({ ...target, baseUrl: root }, path);
}
