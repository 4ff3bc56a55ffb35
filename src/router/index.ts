export * from './deployment.js';
export { ModelRegistry } from './model-registry.js';
export { Router, prepareRequest, type Attempt, type RunOptions, type RunResult, type RouterDeps } from './router.js';
export { weightedRandom, type Selector } from './select-deployment.js';
export { backoffMs } from './backoff.js';
export { peekFirstPart } from './peek-stream.js';
