/**
 * The per-provider facts of the pass-through routes (LiteLLM's prefixes):
 * which deployments serve a prefix, the root a path is appended to, how the
 * real credential is put on the request, where a request names its model,
 * and which usage vocabulary the answers speak. Credentials reuse each
 * protocol's own helpers (SigV4 for Bedrock, service-account tokens for
 * Vertex), so pass-through signs exactly as the translated calls do.
 */
import { encodeAnthropicError } from '../../dialects/anthropic/index.js';
import { encodeGeminiError } from '../../dialects/gemini/index.js';
import { encodeError } from '../../dialects/openai/index.js';
import { awsCredentials, bedrockRegion } from '../../protocols/bedrock/bedrock-http.js';
import { signRequest } from '../../protocols/bedrock/aws-sigv4.js';
import { GEMINI_DEFAULT_BASE_URL } from '../../protocols/gemini/index.js';
import { authHeaders } from '../../protocols/http/index.js';
import { vertexAuthorization } from '../../protocols/vertex/vertex-auth.js';
import { DEFAULT_LOCATION, rootUrl } from '../../protocols/vertex/vertex-url.js';
import { GatewayError, type CancelSignal, type UpstreamTarget } from '../../spec/index.js';
import type { ErrorRenderer } from '../respond/send-error.js';
import type { UsageFamily } from './passthrough-usage.js';

export interface OutgoingRequest {
  method: string;
  url: URL;
  /** Headers as they will be sent (lower-case names); credentials are added to these. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface PassthroughProvider {
  /** Route prefix, e.g. "openai" for `/openai/*`. */
  prefix: string;
  /** Catalog provider ids whose deployments serve this prefix. */
  providers: readonly string[];
  /** The root the client's path is appended to. */
  root(target: UpstreamTarget): string;
  /** Adds the real credential to the request (headers or query), in place. */
  authorize(target: UpstreamTarget, req: OutgoingRequest, signal: CancelSignal): Promise<void> | void;
  /** The model a request names (body `model`, or a path segment), when it names one. */
  modelOf(path: string, body: Record<string, unknown> | undefined): string | undefined;
  usage: readonly UsageFamily[];
  /** Gateway errors (auth, limits) in the shape this provider's clients read. */
  render: ErrorRenderer;
  /** Query parameters that carry the CALLER's secret and must not travel upstream. */
  clientKeyParams?: readonly string[];
}

function keyedHeaders(target: UpstreamTarget, req: OutgoingRequest): void {
  Object.assign(req.headers, target.headers, authHeaders(target));
  if (target.auth.kind === 'query' && target.apiKey) req.url.searchParams.set(target.auth.name, target.apiKey);
}

const bodyModel = (_path: string, body: Record<string, unknown> | undefined): string | undefined => (typeof body?.['model'] === 'string' ? body['model'] : undefined);
/** `…/models/{model}:action` (Gemini, Vertex). */
const pathModel = (path: string): string | undefined => /\/models\/([^/:]+)(?::[A-Za-z]+)?$/.exec(path)?.[1];

export const PASSTHROUGH_PROVIDERS: readonly PassthroughProvider[] = [
  { prefix: 'openai', providers: ['openai'], root: (t) => t.baseUrl, authorize: keyedHeaders, modelOf: bodyModel, usage: ['openai'], render: encodeError },
  {
    prefix: 'anthropic',
    providers: ['anthropic'],
    root: (t) => t.baseUrl,
    authorize(target, req) {
      keyedHeaders(target, req);
      // Anthropic refuses requests without a version; clients that speak its API send one, curl users may not.
      req.headers['anthropic-version'] ??= target.apiVersion ?? '2023-06-01';
    },
    modelOf: bodyModel,
    usage: ['anthropic'],
    render: (e) => encodeAnthropicError(e),
  },
  { prefix: 'gemini', providers: ['gemini'], root: (t) => t.baseUrl || GEMINI_DEFAULT_BASE_URL, authorize: keyedHeaders, modelOf: pathModel, usage: ['gemini'], render: encodeGeminiError, clientKeyParams: ['key'] },
  { prefix: 'azure', providers: ['azure', 'azure-ai'], root: (t) => t.baseUrl, authorize: keyedHeaders, modelOf: bodyModel, usage: ['openai'], render: encodeError },
  { prefix: 'cohere', providers: ['cohere'], root: (t) => t.baseUrl, authorize: keyedHeaders, modelOf: bodyModel, usage: ['cohere'], render: encodeError },
  {
    prefix: 'bedrock',
    providers: ['bedrock'],
    root: (t) => t.baseUrl,
    authorize(target, req) {
      Object.assign(req.headers, target.headers);
      const aws = awsCredentials(target);
      if (aws === undefined) {
        if (!target.apiKey) throw new GatewayError('upstream_auth', { message: `Bedrock deployment ${target.model} has no credentials for pass-through`, provider: target.provider });
        req.headers['authorization'] = `Bearer ${target.apiKey}`;
        return;
      }
      const service = target.auth.kind === 'aws-sigv4' ? target.auth.service : 'bedrock';
      Object.assign(req.headers, signRequest({ method: req.method, url: req.url, headers: req.headers, body: req.body, credentials: aws, region: bedrockRegion(target), service }));
    },
    modelOf: (path) => {
      const m = /^\/model\/([^/]+)\//.exec(path)?.[1];
      return m === undefined ? undefined : decodeURIComponent(m);
    },
    usage: ['bedrock'],
    render: encodeError,
  },
  {
    prefix: 'vertex_ai',
    providers: ['vertex-ai'],
    root: (t) => rootUrl(t.baseUrl, t.settings?.['location'] || DEFAULT_LOCATION),
    async authorize(target, req, signal) {
      Object.assign(req.headers, target.headers);
      req.headers['authorization'] = await vertexAuthorization(target, signal);
    },
    modelOf: pathModel,
    // Gemini's usageMetadata, or Claude's usage when the path is an Anthropic publisher's.
    usage: ['gemini', 'anthropic'],
    render: encodeGeminiError,
  },
];

/**
 * The upstream URL: the root, then the client's path — unless the path
 * already starts with the root's own path (`/openai/v1/chat/completions` on
 * a `…/v1` root), which is the common way clients write it. The root's own
 * query (a fixed api-version) is kept; the client's query is added.
 */
export function upstreamUrl(root: string, path: string, query: URLSearchParams): URL {
  const url = new URL(root);
  const rootPath = url.pathname.replace(/\/+$/, '');
  url.pathname = rootPath !== '' && (path === rootPath || path.startsWith(`${rootPath}/`)) ? path : `${rootPath}${path}`;
  for (const [k, v] of query) url.searchParams.set(k, v);
  return url;
}
