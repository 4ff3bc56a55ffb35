/**
 * Responses `tools`, `tool_choice` and `text.format` into the unified
 * fields. Function tools map one to one (Responses puts name and schema at
 * the top level, not under `function`). A `namespace` tool group (Codex
 * sends one) is flattened into functions named `<namespace>__<name>`, and
 * calls to those names are given back as `{namespace, name}`. Built-in
 * tools (web_search, file_search, code_interpreter, local_shell …) run only
 * on OpenAI's servers, so they are refused by name rather than dropped.
 */
import type { FunctionTool, ResponseFormat, ToolChoice } from '../../spec/index.js';
import {
  asArray,
  asObject,
  badValue,
  isAbsent,
  missing,
  optBoolean,
  optString,
  requireString,
  unsupported,
  type Json,
} from '../openai/json-checks.js';

const NAMESPACE_SEPARATOR = '__';
const TOOL_CHOICE_MODES = ['none', 'auto', 'required'] as const;

/** Maps flattened function names back to `{namespace, name}` and forward again. */
export class ToolNames {
  private readonly byFlat = new Map<string, { namespace: string; name: string }>();

  add(namespace: string, name: string): string {
    const flat = `${namespace}${NAMESPACE_SEPARATOR}${name}`;
    this.byFlat.set(flat, { namespace, name });
    return flat;
  }

  /** The upstream name for a call the client names (namespaced or not). */
  flatName(name: string, namespace: string | undefined): string {
    return namespace === undefined ? name : `${namespace}${NAMESPACE_SEPARATOR}${name}`;
  }

  /** The client's view of an upstream function name. */
  clientName(flat: string): { name: string; namespace?: string } {
    return this.byFlat.get(flat) ?? { name: flat };
  }
}

export interface DecodedTools {
  tools?: FunctionTool[];
  names: ToolNames;
}

export function decodeResponseTools(v: unknown): DecodedTools {
  const names = new ToolNames();
  if (isAbsent(v)) return { names };
  const arr = asArray(v, 'tools');
  const tools: FunctionTool[] = [];
  for (let i = 0; i < arr.length; i++) {
    const param = `tools[${i}]`;
    const t = asObject(arr[i], param);
    const type = t['type'];
    if (isAbsent(type)) throw missing(`${param}.type`);
    if (type === 'function') tools.push(decodeFunctionTool(t, param));
    else if (type === 'namespace') {
      const ns = requireString(t, 'name', `${param}.name`);
      const inner = asArray(t['tools'] ?? [], `${param}.tools`);
      for (let j = 0; j < inner.length; j++) {
        const ip = `${param}.tools[${j}]`;
        const fn = asObject(inner[j], ip);
        if (fn['type'] !== 'function') throw badValue(`${ip}.type`, fn['type'], ['function']);
        const tool = decodeFunctionTool(fn, ip);
        tool.name = names.add(ns, tool.name);
        tools.push(tool);
      }
    } else {
      throw unsupported(
        `${param}.type`,
        `The '${String(type)}' tool is a built-in OpenAI tool that the upstream behind this gateway cannot run. Remove it from 'tools' (only 'function' tools are translated).`,
      );
    }
  }
  return { tools, names };
}

function decodeFunctionTool(t: Json, param: string): FunctionTool {
  const tool: FunctionTool = { type: 'function', name: requireString(t, 'name', `${param}.name`) };
  const description = optString(t['description'], `${param}.description`);
  if (description !== undefined) tool.description = description;
  if (!isAbsent(t['parameters'])) tool.parameters = asObject(t['parameters'], `${param}.parameters`);
  const strict = optBoolean(t['strict'], `${param}.strict`);
  if (strict !== undefined) tool.strict = strict;
  return tool;
}

export function decodeResponseToolChoice(v: unknown, names: ToolNames): ToolChoice | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v === 'string') {
    if (!(TOOL_CHOICE_MODES as readonly string[]).includes(v)) throw badValue('tool_choice', v, TOOL_CHOICE_MODES);
    return { type: v as (typeof TOOL_CHOICE_MODES)[number] };
  }
  const obj = asObject(v, 'tool_choice');
  if (obj['type'] === 'function') {
    const name = requireString(obj, 'name', 'tool_choice.name');
    const ns = optString(obj['namespace'], 'tool_choice.namespace');
    return { type: 'tool', name: names.flatName(name, ns) };
  }
  if (isAbsent(obj['type'])) throw missing('tool_choice.type');
  throw unsupported('tool_choice.type', `Invalid value for 'tool_choice.type': '${String(obj['type'])}' is not supported by this gateway; use 'none', 'auto', 'required' or a function.`);
}

/** `text.format`: the Responses shape of `response_format` (json_schema fields sit at the top level). */
export function decodeTextFormat(v: unknown): ResponseFormat | undefined {
  if (isAbsent(v)) return undefined;
  const f = asObject(v, 'text.format');
  const type = f['type'];
  if (isAbsent(type)) throw missing('text.format.type');
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema') throw badValue('text.format.type', type, ['text', 'json_object', 'json_schema']);
  const out: ResponseFormat = {
    type: 'json_schema',
    name: requireString(f, 'name', 'text.format.name'),
    schema: isAbsent(f['schema']) ? {} : asObject(f['schema'], 'text.format.schema'),
  };
  const strict = optBoolean(f['strict'], 'text.format.strict');
  if (strict !== undefined) out.strict = strict;
  const description = optString(f['description'], 'text.format.description');
  if (description !== undefined) out.description = description;
  return out;
}
