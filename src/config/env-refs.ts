import type { PathSegment } from './config-error.js';

/** A reference whose variable is unset; the loader decides whether that is an error. */
export interface MissingEnvRef {
  path: PathSegment[];
  name: string;
  /** The reference as written, for messages. */
  written: string;
}

const LITELLM_REF = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;
const NATIVE_REF = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** Variable named by `os.environ/NAME` (LiteLLM) or, when allowed, `env:NAME` (native). */
export function envRefName(value: string, allowEnvColon: boolean): string | undefined {
  const m = LITELLM_REF.exec(value.trim()) ?? (allowEnvColon ? NATIVE_REF.exec(value.trim()) : null);
  return m?.[1];
}

/**
 * Replaces every string that is an environment reference with the variable's
 * value, anywhere in the tree (LiteLLM allows them in any field). Unset
 * variables leave the key out and are reported, so a key-less provider can
 * still load while every other field fails with its path.
 */
export function resolveEnvRefs(
  tree: unknown,
  env: NodeJS.ProcessEnv,
  allowEnvColon: boolean,
): { value: unknown; missing: MissingEnvRef[] } {
  const missing: MissingEnvRef[] = [];
  const MISSING = Symbol('missing');

  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (typeof node === 'string') {
      const name = envRefName(node, allowEnvColon);
      if (name === undefined) return node;
      const v = env[name];
      if (v === undefined || v === '') {
        missing.push({ path, name, written: node.trim() });
        return MISSING;
      }
      return v;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i])).filter((v) => v !== MISSING);
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        const r = walk(v, [...path, k]);
        if (r !== MISSING) out[k] = r;
      }
      return out;
    }
    return node;
  };

  return { value: walk(tree, []), missing };
}
