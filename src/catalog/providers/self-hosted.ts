import type { ProviderEntry } from '../types.js';
import { ensureSuffix } from './normalize-base.js';

/**
 * More self-hosted OpenAI-compatible servers (vLLM, Ollama and LM Studio are
 * in local-servers.ts). Each runs without a key unless started with one; the
 * default base is the server's documented default port on localhost.
 */

function localServer(id: string, name: string, baseUrl: string, docsUrl: string, extra: Partial<ProviderEntry> = {}): ProviderEntry {
  return {
    id,
    name,
    protocol: 'openai',
    baseUrl,
    auth: { kind: 'bearer' },
    envKeys: [],
    keyRequired: false,
    litellmPrefixes: [],
    normalizeApiBase: ensureSuffix('/v1'),
    docsUrl,
    models: [],
    ...extra,
  };
}

export const sglang = localServer('sglang', 'SGLang (OpenAI-compatible server)', 'http://localhost:30000/v1', 'https://docs.sglang.ai/basic_usage/openai_api.html', {
  envBaseUrl: ['SGLANG_API_BASE'],
});

/** Text Generation Inference's Messages API (`/v1/chat/completions`). */
export const tgi = localServer('tgi', 'Hugging Face Text Generation Inference', 'http://localhost:8080/v1', 'https://huggingface.co/docs/text-generation-inference/messages_api', {
  envBaseUrl: ['TGI_API_BASE'],
  // TGI serves one model; it accepts n = 1 only.
  quirks: { maxN: 1 },
});

export const llamaCpp = localServer('llama-cpp', 'llama.cpp server', 'http://localhost:8080/v1', 'https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md', {
  envBaseUrl: ['LLAMA_CPP_API_BASE'],
});

export const llamafile = localServer('llamafile', 'llamafile', 'http://localhost:8080/v1', 'https://github.com/Mozilla-Ocho/llamafile', {
  envBaseUrl: ['LLAMAFILE_API_BASE'],
  litellmPrefixes: ['llamafile'],
});

export const localai = localServer('localai', 'LocalAI', 'http://localhost:8080/v1', 'https://localai.io/features/text-generation/', {
  envBaseUrl: ['LOCALAI_API_BASE'],
});

export const xinference = localServer('xinference', 'Xorbits Inference (Xinference)', 'http://localhost:9997/v1', 'https://inference.readthedocs.io/en/latest/models/index.html', {
  envKeys: ['XINFERENCE_API_KEY'],
  envBaseUrl: ['XINFERENCE_API_BASE'],
  litellmPrefixes: ['xinference'],
});

/** A LiteLLM proxy in front: it speaks OpenAI's API at the root and under /v1. */
export const litellmProxy = localServer('litellm-proxy', 'LiteLLM Proxy', 'http://localhost:4000/v1', 'https://docs.litellm.ai/docs/providers/litellm_proxy', {
  envKeys: ['LITELLM_PROXY_API_KEY'],
  envBaseUrl: ['LITELLM_PROXY_API_BASE'],
  litellmPrefixes: ['litellm_proxy'],
});

/** Triton Inference Server's OpenAI-compatible frontend (TensorRT-LLM and other backends). */
export const tritonOpenAI = localServer('triton-openai', 'NVIDIA Triton OpenAI frontend (TensorRT-LLM)', 'http://localhost:9000/v1', 'https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/client_guide/openai_readme.html', {
  envBaseUrl: ['TRITON_OPENAI_API_BASE'],
});

export const aphrodite = localServer('aphrodite', 'Aphrodite Engine', 'http://localhost:2242/v1', 'https://aphrodite.pygmalion.chat/', {
  envBaseUrl: ['APHRODITE_API_BASE'],
});

export const textGenerationWebui = localServer('text-generation-webui', 'text-generation-webui (oobabooga)', 'http://localhost:5000/v1', 'https://github.com/oobabooga/text-generation-webui/wiki/12-%E2%80%90-OpenAI-API', {
  envBaseUrl: ['TEXTGEN_WEBUI_API_BASE'],
});

export const koboldcpp = localServer('koboldcpp', 'KoboldCpp', 'http://localhost:5001/v1', 'https://github.com/LostRuins/koboldcpp/wiki', {
  envBaseUrl: ['KOBOLDCPP_API_BASE'],
});

export const jan = localServer('jan', 'Jan (local API server)', 'http://localhost:1337/v1', 'https://jan.ai/docs/api-server', {
  envBaseUrl: ['JAN_API_BASE'],
});

export const gpt4all = localServer('gpt4all', 'GPT4All (local API server)', 'http://localhost:4891/v1', 'https://docs.gpt4all.io/gpt4all_api_server/home.html', {
  envBaseUrl: ['GPT4ALL_API_BASE'],
});

/** Infinity: embeddings and a Jina-style `/rerank` for self-hosted embedding and reranker models. */
export const infinity = localServer('infinity', 'Infinity (embedding server)', 'http://localhost:7997', 'https://michaelfeil.eu/infinity/', {
  envBaseUrl: ['INFINITY_API_BASE'],
  litellmPrefixes: ['infinity'],
  // Infinity serves /embeddings at the root, no /v1.
  normalizeApiBase: (url) => url.replace(/\/+$/, ''),
  endpoints: ['embeddings', 'rerank'],
});
