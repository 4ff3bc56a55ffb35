import type { Usage } from './usage.js';

/**
 * Unified rerank: order documents by relevance to a query (Cohere, Jina,
 * Voyage and friends all speak a variant of this). Documents are plain
 * strings; providers that take structured documents get them as text.
 */
export interface RerankRequest {
  model: string;
  query: string;
  documents: string[];
  /** Return only the best N results (default: all). */
  topN?: number;
  /** Echo each document's text in its result. */
  returnDocuments?: boolean;
  /** Longest document slice the provider should read, in tokens, where it has such a knob. */
  maxTokensPerDoc?: number;
  providerOptions?: Record<string, Record<string, unknown>>;
  extraBody?: Record<string, unknown>;
}

export interface RerankResult {
  /** Position of the document in the request's `documents`. */
  index: number;
  relevanceScore: number;
  /** The document text, when `returnDocuments` was asked for. */
  document?: string;
}

export interface RerankResponse {
  id?: string;
  model: string;
  /** Most relevant first. */
  results: RerankResult[];
  /** Token counts where the provider reports them (zeros otherwise). */
  usage: Usage;
  /** Billing units that are not tokens, e.g. Cohere's `search_units`. */
  units?: Record<string, number>;
}
