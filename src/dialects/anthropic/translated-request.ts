/**
 * The unified request a non-relay upstream receives, from a decoded Messages
 * body. Two kinds of protocol are served differently:
 *
 * - one that reads `providerOptions.anthropic` (Claude through another
 *   cloud) gets the client's Anthropic fields as sent — thinking, effort and
 *   output format included — instead of their lossy unified mapping, so its
 *   Anthropic encoder rebuilds what the client asked for;
 * - any other gets the unified mapping, and every Anthropic-only field it
 *   will not receive (context_management, adaptive thinking, betas…) is
 *   reported by name.
 *
 * Either way, content only Anthropic itself can take fails with a 400 naming
 * the field, and the decoder's lossy-mapping notes are reported.
 */
import type { ChatRequest } from '../../spec/index.js';
import type { DecodedMessages } from './decode-messages-request.js';

export interface TranslationTarget {
  /** Catalog provider id, for the warnings. */
  provider: string;
  /** Whether the protocol reads `providerOptions.anthropic`. */
  readsAnthropicOptions: boolean;
}

export function translatedRequest(decoded: DecodedMessages, target: TranslationTarget, warn: (m: string) => void): ChatRequest {
  if (decoded.untranslatable) throw decoded.untranslatable;
  for (const w of decoded.warnings) warn(w);
  const request = decoded.request;
  const own = request.providerOptions?.['anthropic'] ?? {};
  if (target.readsAnthropicOptions) return anthropicFamily(decoded, own);

  for (const key of Object.keys(own)) {
    if (key === 'betas') warn(`anthropic-beta (${decoded.betas.join(',')}): Anthropic beta flags do not apply to ${target.provider}; not sent`);
    else warn(`${key}: Anthropic-only field, not sent to ${target.provider}`);
  }
  if (request.providerOptions === undefined) return request;
  const { anthropic: _omitted, ...others } = request.providerOptions;
  const out: ChatRequest = { ...request };
  if (Object.keys(others).length > 0) out.providerOptions = others;
  else delete out.providerOptions;
  return out;
}

function anthropicFamily(decoded: DecodedMessages, own: Record<string, unknown>): ChatRequest {
  const native = decoded.native;
  const out: ChatRequest = { ...decoded.request };
  // The client's own fields say it exactly; the unified ones derived from them would be encoded a second time.
  if (native['thinking'] !== undefined) delete out.reasoningBudgetTokens;
  if (native['output_config'] !== undefined) delete out.reasoningEffort;
  if (native['output_format'] !== undefined || (native['output_config'] as { format?: unknown } | undefined)?.format !== undefined) delete out.responseFormat;
  const anthropic = { ...own, ...native };
  if (Object.keys(anthropic).length > 0) out.providerOptions = { ...out.providerOptions, anthropic };
  return out;
}
