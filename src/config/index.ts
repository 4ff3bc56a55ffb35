export { ConfigError, type ConfigIssue } from './config-error.js';
export { configFromEnv, discoverDeployments, publicNameFor } from './config-from-env.js';
export { DEFAULTS as CONFIG_DEFAULTS, settingsFromEnv } from './env-settings.js';
export { detectFormat, loadConfig, parseConfigText, type LoadConfigOptions } from './load-config.js';
export type { GatewayConfig } from './types.js';
