import type { Deployment, RouterSettings } from '../router/deployment.js';

/**
 * The gateway's whole configuration after loading and validation, whichever
 * format it came from (native YAML, LiteLLM config.yaml, or environment only).
 */
export interface GatewayConfig {
  source: { format: 'native' | 'litellm' | 'env'; path?: string };
  server: {
    host: string;
    port: number;
    /** Largest request body accepted (bytes); larger gets a 413. */
    bodyLimitBytes: number;
    /** Largest uploaded file (audio, image edits); larger gets a 413. Default 25 MiB. */
    uploadLimitBytes?: number;
    /** Browser origins allowed by CORS: ['*'] (the default when absent), exact origins, or [] for no CORS headers. */
    corsOrigins?: string[];
  };
  /** Master key in clear (from config or SWITCHYARD_MASTER_KEY); only its hash is kept in memory after start. */
  masterKey?: string;
  /** Database URL; undefined = embedded SQLite under ./data. */
  databaseUrl?: string;
  /** Directory for the SQLite file, the journal and the generated encryption key. */
  dataDir: string;
  deployments: Deployment[];
  router: RouterSettings;
  accounting: {
    /** What to do when a model has no price: refuse the request, or serve it at zero cost with a ledger warning. */
    unknownPrice: 'refuse' | 'zero';
  };
  /**
   * Public model name → list of groups (LiteLLM `access_groups` in model_info),
   * so keys can be granted a group instead of listing models.
   */
  accessGroups: Record<string, string[]>;
  /** Non-fatal problems found while loading (unsupported keys etc.), printed once at start. */
  warnings: string[];
}
