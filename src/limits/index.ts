export * from './limiter-store.js';
export { MemoryLimiterStore, type MemoryLimiterOptions } from './memory-limiter-store.js';
export { RateLimitInterceptor, actualTokens, type RateLimitOptions } from './rate-limit-interceptor.js';
export { rateLimitHeaders, formatDuration } from './rate-limit-headers.js';
export { accountLimits, type LimitFields, type LimitRecords } from './account-limits.js';
