import { readFileSync } from 'node:fs';
import { GatewayError } from '../../spec/index.js';

/** The fields of a Google service-account key file (JSON) that the token exchange needs. */
export interface ServiceAccount {
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
  tokenUri: string;
  projectId?: string;
}

export const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';

const parsedByText = new Map<string, ServiceAccount>();

/**
 * A service account from its JSON text or from the path of its key file
 * (LiteLLM's `vertex_credentials` and GOOGLE_APPLICATION_CREDENTIALS accept
 * both). Parsed once per distinct value; a broken key is a configuration
 * error, reported without ever echoing the key material.
 */
export function loadServiceAccount(jsonOrPath: string, provider: string): ServiceAccount {
  const cached = parsedByText.get(jsonOrPath);
  if (cached !== undefined) return cached;
  const text = looksLikeJson(jsonOrPath) ? jsonOrPath : readKeyFile(jsonOrPath, provider);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw configError(provider, 'the service-account credentials are not valid JSON', cause);
  }
  const o = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (o['type'] !== undefined && o['type'] !== 'service_account') {
    throw configError(provider, `credentials of type "${String(o['type'])}" are not a service-account key; give a service-account JSON or an access token`);
  }
  if (typeof o['client_email'] !== 'string' || typeof o['private_key'] !== 'string') {
    throw configError(provider, 'the service-account JSON lacks client_email or private_key');
  }
  const sa: ServiceAccount = {
    clientEmail: o['client_email'],
    privateKey: o['private_key'],
    tokenUri: typeof o['token_uri'] === 'string' && o['token_uri'] !== '' ? o['token_uri'] : DEFAULT_TOKEN_URI,
  };
  if (typeof o['private_key_id'] === 'string') sa.privateKeyId = o['private_key_id'];
  if (typeof o['project_id'] === 'string') sa.projectId = o['project_id'];
  parsedByText.set(jsonOrPath, sa);
  return sa;
}

export function looksLikeJson(value: string): boolean {
  return value.trimStart().startsWith('{');
}

function readKeyFile(path: string, provider: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw configError(provider, `cannot read the service-account key file ${path}`, cause);
  }
}

function configError(provider: string, what: string, cause?: unknown): GatewayError {
  // The deployment is misconfigured, not the client's request: a 500 that names the fix.
  return new GatewayError('internal_error', { message: `Vertex AI deployment misconfigured: ${what}`, provider, cause });
}
