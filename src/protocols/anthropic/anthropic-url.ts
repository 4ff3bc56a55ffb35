import type { UpstreamTarget } from '../../spec/index.js';
import { joinUrl } from '../http/index.js';

/**
 * Anthropic base URLs are configured both ways in the wild
 * ("https://api.anthropic.com" as in ANTHROPIC_BASE_URL, or ".../v1" as the
 * catalog's convention), so `/v1` is added only when the base lacks it.
 */
export function anthropicUrl(target: UpstreamTarget, path: string, query?: Record<string, string>): string {
  const base = target.baseUrl.replace(/\/+$/, '');
  const versioned = /\/v1$/.test(base) ? path : `/v1${path}`;
  return joinUrl(target, versioned, query);
}
