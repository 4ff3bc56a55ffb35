import { GatewayError } from '../../spec/index.js';

/** The 400 for a body that is not JSON: one wording whether Fastify or the hot lane read it. */
export function invalidJsonBody(err: unknown): GatewayError {
  return new GatewayError('invalid_json', { message: `We could not parse the JSON body of your request: ${(err as Error).message}` });
}

/** The 413 for a body over the configured limit. */
export function bodyTooLarge(limit: number): GatewayError {
  return new GatewayError('payload_too_large', { message: `Request body is larger than this gateway's limit of ${limit} bytes.` });
}
