import type { GatewayError } from '../../spec/index.js';

/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
export function encodeError(err: GatewayError): Record<string, unknown> {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.clientCode } };
}
