export { poolFor, closePools, configurePools } from './pools.js';
export { send, readText, connectionError, type SendOptions, type UpstreamResponse } from './send.js';
export { sseEvents } from './sse.js';
export { parseRetryAfter } from './retry-after.js';
export { codeForStatus, upstreamError, type UpstreamErrorInit } from './status-to-error.js';
export { authHeaders, joinUrl, zhipuJwt } from './auth.js';
export { callApi, readJson, type ApiCall, type ErrorMapper } from './call-api.js';
export { redactorFor, redactError, redactText, redactPatterns, secretsOf, expandForms, maskSecret, type Redactor } from './redact-secrets.js';
export { requestWhole, type WholeRequest, type WholeResponse, type AbortLike } from './request-whole.js';
