export * from './usage.js';
export * from './finish-reason.js';
export * from './chat-request.js';
export * from './chat-response.js';
export * from './stream-part.js';
export * from './errors.js';
export * from './context.js';
export * from './protocol.js';
