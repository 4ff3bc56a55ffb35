/**
 * The public library: `import { Switchyard } from 'switchyard'`.
 */
export { Switchyard, type SwitchyardOptions, type CallSettings, type CallReport } from './switchyard.js';
export type { ModelSpec } from './resolve-models.js';
export * from '../spec/index.js';
export { listProviders, getProvider, type ProviderEntry } from '../catalog/index.js';
