/**
 * The unified request one upstream receives, from a decoded
 * GenerateContentRequest. A protocol that reads `providerOptions.gemini`
 * (Gemini, Gemini on Vertex) gets the client's own Gemini fields —
 * thinkingConfig, responseSchema, toolConfig, safetySettings … — instead of
 * their lossy unified mapping; any other protocol gets the unified mapping,
 * with every Gemini-only field it will not receive reported by name, and
 * earlier turns' thoughts (signed for Gemini only) left out.
 */
import type { ChatRequest, Message } from '../../spec/index.js';
import type { DecodedGenerateContent } from './decode-generate-content.js';

export interface TranslationTarget {
  /** Catalog provider id, for the warnings. */
  provider: string;
  /** Whether the protocol reads `providerOptions.gemini`. */
  readsGeminiOptions: boolean;
}

export function translatedRequest(decoded: DecodedGenerateContent, target: TranslationTarget, warn: (m: string) => void): ChatRequest {
  const request = decoded.request;
  const own = request.providerOptions?.['gemini'] ?? {};
  if (target.readsGeminiOptions) return geminiFamily(decoded, own);

  for (const w of decoded.warnings) warn(w);
  for (const key of Object.keys(own)) {
    if (key === 'generationConfig') for (const k of Object.keys(own[key] as object)) warn(`generationConfig.${k}: Gemini-only option, not sent to ${target.provider}`);
    else if (key === 'tools') warn(`tools: Gemini's built-in tools (${(own[key] as object[]).map((t) => Object.keys(t).join('+')).join(', ')}) do not run on ${target.provider}; not sent`);
    else warn(`${key}: Gemini-only field, not sent to ${target.provider}`);
  }
  const thinking = decoded.native['thinkingConfig'] as { thinkingBudget?: unknown; includeThoughts?: unknown } | undefined;
  if (thinking?.thinkingBudget === -1) warn(`generationConfig.thinkingConfig.thinkingBudget=-1 (dynamic) leaves thinking to ${target.provider}'s default`);
  const out: ChatRequest = { ...request, messages: withoutThoughts(request.messages) };
  if (out.messages.length !== request.messages.length || out.messages.some((m, i) => m !== request.messages[i])) {
    warn(`thought parts of earlier turns are Gemini's own and were not sent to ${target.provider}`);
  }
  const { gemini: _omitted, ...others } = request.providerOptions ?? {};
  if (Object.keys(others).length > 0) out.providerOptions = others;
  else delete out.providerOptions;
  return out;
}

function geminiFamily(decoded: DecodedGenerateContent, own: Record<string, unknown>): ChatRequest {
  const native = decoded.native;
  const out: ChatRequest = { ...decoded.request };
  // The client's own fields say it exactly; the unified ones derived from them would be encoded a second time.
  if (native['thinkingConfig'] !== undefined) {
    delete out.reasoningBudgetTokens;
    delete out.reasoningEffort;
  }
  if (native['responseMimeType'] !== undefined || native['responseSchema'] !== undefined || native['responseJsonSchema'] !== undefined) delete out.responseFormat;
  if (native['toolConfig'] !== undefined) delete out.toolChoice;
  const gemini = { ...own, ...native };
  if (Object.keys(gemini).length > 0) out.providerOptions = { ...out.providerOptions, gemini };
  return out;
}

/** Assistant turns without reasoning parts; messages left with nothing are dropped. */
function withoutThoughts(messages: Message[]): Message[] {
  const out: Message[] = [];
  for (const m of messages) {
    if (m.role !== 'assistant' || !m.content.some((p) => p.type === 'reasoning')) {
      out.push(m);
      continue;
    }
    const content = m.content.filter((p) => p.type !== 'reasoning');
    if (content.length > 0) out.push({ ...m, content });
  }
  return out;
}
