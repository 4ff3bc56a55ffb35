import type { FastifyError } from 'fastify';
import { GatewayError, toGatewayError } from '../../spec/index.js';
import { StoreConflictError, StoreReferenceError } from '../../store/index.js';

export function notFound(entity: string, id: string): GatewayError {
  return new GatewayError('not_found', { message: `${entity} '${id}' was not found.` });
}

export function forbidden(message: string): GatewayError {
  return new GatewayError('permission_denied', { message });
}

export function conflict(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', { message, status: 409, param: param ?? null, clientCode: 'conflict' });
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `body/max_budget` style names from a schema failure, so a 400 names the field as our other 400s do. */
function fromValidation(err: FastifyError & { validation?: AjvError[]; validationContext?: string }): GatewayError {
  const first: AjvError = err.validation?.[0] ?? {};
  const path = (first.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const missing = typeof first.params?.['missingProperty'] === 'string' ? first.params['missingProperty'] : undefined;
  const extra = typeof first.params?.['additionalProperty'] === 'string' ? first.params['additionalProperty'] : undefined;
  const param = [path, missing ?? extra].filter(Boolean).join('.') || (err.validationContext ?? 'body');
  const where = err.validationContext && err.validationContext !== 'body' ? `${err.validationContext} ` : '';
  return new GatewayError('invalid_request', { message: `Invalid ${where}field '${param}': ${first.message ?? err.message}`, param });
}

/** Store and driver errors as the admin API's statuses: duplicate → 409, dangling reference or bad range → 400. */
export function toAdminError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof StoreConflictError) return conflict(err.message, err.field);
  if (err instanceof StoreReferenceError) return new GatewayError('invalid_request', { message: err.message });
  if (err instanceof RangeError) return new GatewayError('invalid_request', { message: err.message });
  const fe = err as FastifyError & { validation?: AjvError[] };
  if (fe && Array.isArray(fe.validation)) return fromValidation(fe);
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new GatewayError(fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload_too_large' : 'invalid_request', { message: fe.message, status: fe.statusCode });
  }
  return toGatewayError(err);
}
