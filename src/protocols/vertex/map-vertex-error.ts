import type { GatewayError } from '../../spec/index.js';
import { mapAnthropicError } from '../anthropic/index.js';
import { mapGeminiError, parseGoogleError } from '../gemini/map-gemini-error.js';

export interface VertexErrorInit {
  provider: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Claude on Vertex fails in two voices: Vertex's front door (auth, IAM,
 * quota, unknown model) answers in Google's envelope `{"error":{"code",
 * "status",…}}`, while the model server answers in Anthropic's
 * `{"type":"error","error":{"type",…}}`. The body says which one spoke.
 */
export function mapVertexAnthropicError(init: VertexErrorInit): GatewayError {
  const google = parseGoogleError(init.body);
  if (google !== undefined && (google.status !== undefined || typeof google.code === 'number')) return mapGeminiError(init);
  return mapAnthropicError(init);
}
