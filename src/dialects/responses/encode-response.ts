/**
 * The `response` object: the request's echoed settings around the output
 * items, status and usage. One builder for JSON answers, the stream's
 * lifecycle events and the stored copy, so all three always agree.
 */
import type { ChatResponse, FinishReason, GatewayError, Usage } from '../../spec/index.js';
import type { DecodedResponses, ResponseEcho } from './decode-responses-request.js';
import { outputItemsFromParts } from './output-items.js';
import type { OutputItem, ResponseObject, ResponseStatus, ResponseUsage } from './response-types.js';

export interface ResponseIdentity {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  /** The public model name the client asked for. */
  model: string;
}

export function encodeResponseUsage(u: Usage): ResponseUsage {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: u.totalTokens,
  };
}

/** Cut generations are `incomplete` with the reason; everything else that finished is `completed`. */
export function statusFor(finish: FinishReason | undefined): { status: ResponseStatus; incomplete: ResponseObject['incomplete_details'] } {
  if (finish?.unified === 'length') return { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } };
  if (finish?.unified === 'content-filter') return { status: 'incomplete', incomplete: { reason: 'content_filter' } };
  return { status: 'completed', incomplete: null };
}

export function responseObject(
  who: ResponseIdentity,
  echo: ResponseEcho,
  state: { status: ResponseStatus; output: OutputItem[]; usage?: Usage; incomplete?: ResponseObject['incomplete_details']; error?: GatewayError },
): ResponseObject {
  return {
    id: who.id,
    object: 'response',
    created_at: who.createdAt,
    status: state.status,
    background: false,
    error: state.error ? { code: responseErrorCode(state.error), message: state.error.message } : null,
    incomplete_details: state.incomplete ?? null,
    instructions: echo.instructions,
    max_output_tokens: echo.max_output_tokens,
    model: who.model,
    output: state.output,
    parallel_tool_calls: echo.parallel_tool_calls,
    previous_response_id: echo.previous_response_id,
    reasoning: echo.reasoning,
    store: echo.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.tool_choice,
    tools: echo.tools,
    top_p: echo.top_p,
    truncation: echo.truncation,
    usage: state.usage ? encodeResponseUsage(state.usage) : null,
    user: echo.user,
    metadata: echo.metadata,
  };
}

/** A whole translated answer as a response object (choice 0: Responses has no `n`). */
export function encodeResponse(res: ChatResponse, who: ResponseIdentity, decoded: DecodedResponses): ResponseObject {
  const choice = res.choices[0];
  const { status, incomplete } = statusFor(choice?.finishReason);
  const output = choice
    ? outputItemsFromParts(choice.content, choice.refusal, {
        toolNames: decoded.toolNames,
        reasoningSummary: decoded.reasoningSummary,
        itemStatus: status === 'incomplete' ? 'incomplete' : 'completed',
      })
    : [];
  return responseObject(who, decoded.echo, { status, output, usage: res.usage, incomplete });
}

/** What a client sees: the reasoning round-trip payload only when it asked for `reasoning.encrypted_content`. */
export function clientView(r: ResponseObject, includeEncryptedReasoning: boolean): ResponseObject {
  if (includeEncryptedReasoning || !r.output.some((o) => o.type === 'reasoning')) return r;
  return { ...r, output: r.output.map((o) => (o.type === 'reasoning' ? withoutPayload(o) : o)) };
}

function withoutPayload<T extends { encrypted_content?: string | null }>(item: T): T {
  const { encrypted_content: _hidden, ...rest } = item;
  return rest as T;
}

/** Responses error codes are few and lower-case; ours map onto the nearest. */
function responseErrorCode(e: GatewayError): string {
  if (e.status === 429) return 'rate_limit_exceeded';
  if (e.status >= 500) return 'server_error';
  return e.clientCode;
}
