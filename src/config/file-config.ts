import type { Deployment, RouterSettings } from '../router/deployment.js';
import type { GatewayConfig } from './types.js';
import type { SettingsLayer } from './env-settings.js';

/** What one config file contributes, before flags and environment are layered on. */
export interface FileConfig {
  format: 'native' | 'litellm';
  settings: SettingsLayer;
  /** The environment as the file sees it (LiteLLM `environment_variables` included). */
  env: NodeJS.ProcessEnv;
  deployments: Deployment[];
  router: RouterSettings;
  accounting?: GatewayConfig['accounting'];
  accessGroups: Record<string, string[]>;
  warnings: string[];
}
