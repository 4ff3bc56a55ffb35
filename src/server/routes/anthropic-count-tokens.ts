import type { FastifyReply, FastifyRequest } from 'fastify';
import { countTokensOffThread, encodingForModel } from '../../accounting/count-tokens.js';
import { sharedTokenCounter } from '../../accounting/token-counter.js';
import { decodeMessagesRequest } from '../../dialects/anthropic/index.js';
import { prepareRequest } from '../../router/index.js';
import { addWarning, type RelayResponse } from '../../spec/index.js';
import { authenticate, checkModelAccess } from '../pipeline/admission.js';
import { gatewayHeaders } from '../respond/headers.js';
import { sendRelay } from '../respond/relay-response.js';
import { sendError } from '../respond/send-error.js';
import type { GatewayRuntime } from '../runtime.js';
import { anthropicContext, isAnthropicNative, relayHeaders, withDeploymentOptions } from './anthropic-messages.js';

type CountResult = { kind: 'relay'; relay: RelayResponse } | { kind: 'local'; inputTokens: number; encoding: string };

/**
 * POST /v1/messages/count_tokens → `{ input_tokens }`. An Anthropic upstream
 * counts exactly (the request is relayed to its count_tokens endpoint);
 * for any other model the prompt is counted here with a BPE tokenizer, an
 * approximation the response says it is (warning header). Counting costs
 * nothing upstream, so it is not admitted against budgets or limits.
 */
export function countTokensHandler(rt: GatewayRuntime) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { ctx, render } = anthropicContext(req, reply);
    try {
      authenticate(rt, req, ctx);
      const decoded = decodeMessagesRequest(req.body, req.headers, { requireMaxTokens: false });
      const model = decoded.request.model;
      ctx.publicModel = model;
      checkModelAccess(rt, ctx, model);
      const body = req.body as Record<string, unknown>;
      const { result } = await rt.router.run<CountResult>(model, ctx, async (d, p, o) => {
        if (isAnthropicNative(p)) {
          const relay = await p.relay!({ path: '/messages/count_tokens', method: 'POST', body: withDeploymentOptions(body, d), stream: false, headers: relayHeaders(decoded, d) }, d.target, o);
          return { kind: 'relay', relay };
        }
        // Off the event loop: building the tokenizer's tables takes seconds of CPU the first time.
        const request = prepareRequest(decoded.request, d);
        const { promptTokens } = await countTokensOffThread(sharedTokenCounter, request, '', request.model);
        return { kind: 'local', inputTokens: promptTokens ?? 0, encoding: encodingForModel(request.model) };
      });
      if (result.kind === 'relay') return await sendRelay(reply, ctx, result.relay, async () => {}, render);
      addWarning(ctx, `input_tokens counted by the gateway with the ${result.encoding} tokenizer; the upstream's own count may differ`);
      void reply.headers(gatewayHeaders(ctx)).send({ input_tokens: result.inputTokens });
    } catch (err) {
      sendError(reply, ctx, err, render, rt.log);
    }
  };
}
