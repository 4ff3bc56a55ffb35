import type { ErrorCode, GatewayError } from '../../spec/index.js';
import { upstreamError } from '../http/index.js';

/**
 * Tencent Cloud answers every failure with HTTP 200 and
 * `Response.Error.Code` such as "AuthFailure.SignatureFailure". The code's
 * family decides the status the router reasons with; the message is kept.
 */
export function statusForTencentCode(code: string): number {
  if (code === 'AuthFailure.UnauthorizedOperation') return 403;
  if (code.startsWith('AuthFailure')) return 401;
  if (code.startsWith('UnauthorizedOperation') || code.startsWith('OperationDenied')) return 403;
  if (code.startsWith('ResourceInsufficient') || code === 'FailedOperation.ServiceNotActivated' || code === 'FailedOperation.ServiceStop' || code.includes('Arrears')) return 403;
  if (code.startsWith('ResourceNotFound') || code === 'InvalidAction' || code === 'InvalidParameterValue.Model') return 404;
  if (code.startsWith('RequestLimitExceeded') || code.startsWith('LimitExceeded') || code === 'FailedOperation.EngineServerLimitExceeded') return 429;
  if (code.startsWith('ResourceUnavailable') || code === 'FailedOperation.EngineServerError') return 503;
  if (code.startsWith('InternalError') || code.startsWith('FailedOperation')) return 500;
  return 400;
}

export interface TencentErrorInit {
  provider: string;
  code: string;
  message: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function mapTencentError(init: TencentErrorInit): GatewayError {
  const status = statusForTencentCode(init.code);
  let code: ErrorCode | undefined;
  if (/content|sensitive|moderation/i.test(init.code)) code = 'content_filtered';
  return upstreamError({ provider: init.provider, status, headers: init.headers, body: init.body, message: init.message, upstreamCode: init.code, ...(code && { code }) });
}
