import { GatewayError, type CallOptions, type UpstreamTarget } from '../../spec/index.js';
import { joinUrl, readText, send, type UpstreamResponse } from '../http/index.js';
import { signRequest, uriEscape, type AwsCredentials } from './aws-sigv4.js';
import { mapBedrockError } from './map-bedrock-error.js';

export interface BedrockCall {
  /** `converse`, `converse-stream` or `invoke`. */
  action: string;
  /** Model id for the path; defaults to the target's. */
  model?: string;
  body: string;
  stream: boolean;
  accept: string;
}

const RUNTIME_HOST = /^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * One call to `POST /model/{modelId}/{action}`. The model id is one path
 * segment, so an inference-profile ARN's slashes and a version's colon are
 * percent-encoded. Signed with SigV4 when the target carries AWS keys,
 * otherwise sent with a Bedrock API key as a bearer token. Resolves with a
 * 2xx response only.
 */
export async function callBedrock(target: UpstreamTarget, opts: CallOptions, call: BedrockCall): Promise<UpstreamResponse> {
  const url = joinUrl(target, `/model/${uriEscape(call.model ?? target.model)}/${call.action}`);
  const headers: Record<string, string> = { ...target.headers, 'content-type': 'application/json', accept: call.accept };
  Object.assign(headers, credentialHeaders(target, url, headers, call.body));
  const res = await send({
    url,
    method: 'POST',
    headers,
    body: call.body,
    signal: opts.signal,
    timeoutMs: target.timeoutMs,
    headersTimeoutMs: call.stream ? target.firstTokenTimeoutMs : undefined,
    provider: target.provider,
  });
  if (res.status < 200 || res.status >= 300) {
    const text = await readText(res, target.provider);
    throw mapBedrockError(target.provider, res.status, res.headers, text);
  }
  return res;
}

function credentialHeaders(target: UpstreamTarget, url: string, headers: Record<string, string>, body: string): Record<string, string> {
  const aws = awsCredentials(target);
  if (aws !== undefined) {
    return signRequest({ method: 'POST', url: new URL(url), headers, body, credentials: aws, region: bedrockRegion(target), service: signingService(target) });
  }
  if (target.apiKey !== undefined && target.apiKey !== '') return { authorization: `Bearer ${target.apiKey}` };
  throw new GatewayError('upstream_auth', {
    message: `Bedrock deployment ${target.provider}/${target.model} has no credentials: set aws_access_key_id and aws_secret_access_key, or a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)`,
    provider: target.provider,
  });
}

export function awsCredentials(target: UpstreamTarget): AwsCredentials | undefined {
  const c = target.credentials;
  if (!c?.accessKeyId || !c.secretAccessKey) return undefined;
  return c.sessionToken ? { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } : { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
}

/** The signing region: `settings.region`, else the one in a standard runtime host name. */
export function bedrockRegion(target: UpstreamTarget): string {
  const configured = target.settings?.region;
  if (configured) return configured;
  let host = '';
  try {
    host = new URL(target.baseUrl).hostname;
  } catch {
    // handled below
  }
  const region = RUNTIME_HOST.exec(host)?.[1];
  if (region !== undefined) return region;
  throw new GatewayError('upstream_auth', {
    message: `Bedrock deployment ${target.provider}/${target.model} has no region to sign for: set aws_region_name (settings.region)`,
    provider: target.provider,
  });
}

function signingService(target: UpstreamTarget): string {
  return target.auth.kind === 'aws-sigv4' ? target.auth.service : 'bedrock';
}

/** The AWS request id, Bedrock's only answer identifier. */
export function awsRequestId(headers: Record<string, string | string[] | undefined>): string | undefined {
  const v = headers['x-amzn-requestid'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
