/**
 * Tools, tool choice and structured output. The legacy `functions` /
 * `function_call` pair is folded into the same unified fields so protocols
 * only ever see one shape.
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
  wrongType,
  type Json,
} from './json-checks.js';

const TOOL_CHOICE_MODES = ['none', 'auto', 'required'] as const;
const RESPONSE_FORMATS = ['text', 'json_object', 'json_schema'] as const;

function decodeFunctionDef(fn: Json, param: string): FunctionTool {
  const tool: FunctionTool = { type: 'function', name: requireString(fn, 'name', `${param}.name`) };
  const description = optString(fn['description'], `${param}.description`);
  if (description !== undefined) tool.description = description;
  if (!isAbsent(fn['parameters'])) tool.parameters = asObject(fn['parameters'], `${param}.parameters`);
  const strict = optBoolean(fn['strict'], `${param}.strict`);
  if (strict !== undefined) tool.strict = strict;
  return tool;
}

export function decodeTools(tools: unknown, functions: unknown): FunctionTool[] | undefined {
  const out: FunctionTool[] = [];
  if (!isAbsent(tools)) {
    const arr = asArray(tools, 'tools');
    for (let i = 0; i < arr.length; i++) {
      const param = `tools[${i}]`;
      const t = asObject(arr[i], param);
      const type = t['type'];
      if (isAbsent(type)) throw missing(`${param}.type`);
      if (type !== 'function') {
        throw unsupported(
          `${param}.type`,
          `Invalid value for '${param}.type': '${String(type)}' tools are not supported by this gateway; only 'function' tools are.`,
        );
      }
      const fn = t['function'];
      if (isAbsent(fn)) throw missing(`${param}.function`);
      out.push(decodeFunctionDef(asObject(fn, `${param}.function`), `${param}.function`));
    }
  }
  if (!isAbsent(functions)) {
    const arr = asArray(functions, 'functions');
    for (let i = 0; i < arr.length; i++) out.push(decodeFunctionDef(asObject(arr[i], `functions[${i}]`), `functions[${i}]`));
  }
  return isAbsent(tools) && isAbsent(functions) ? undefined : out;
}

export function decodeToolChoice(v: unknown, param = 'tool_choice'): ToolChoice | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v === 'string') {
    if (!(TOOL_CHOICE_MODES as readonly string[]).includes(v)) throw badValue(param, v, TOOL_CHOICE_MODES);
    return { type: v as (typeof TOOL_CHOICE_MODES)[number] };
  }
  const obj = asObject(v, param);
  if (obj['type'] !== 'function') {
    if (obj['type'] === 'allowed_tools' || obj['type'] === 'custom') {
      throw unsupported(`${param}.type`, `Invalid value for '${param}.type': '${String(obj['type'])}' is not supported by this gateway.`);
    }
    throw badValue(`${param}.type`, obj['type'], ['function']);
  }
  const fn = obj['function'];
  if (isAbsent(fn)) throw missing(`${param}.function`);
  return { type: 'tool', name: requireString(asObject(fn, `${param}.function`), 'name', `${param}.function.name`) };
}

/** Legacy `function_call`: "none" | "auto" | {name}. */
export function decodeFunctionCall(v: unknown): ToolChoice | undefined {
  if (isAbsent(v)) return undefined;
  if (typeof v === 'string') {
    if (v !== 'none' && v !== 'auto') throw badValue('function_call', v, ['none', 'auto']);
    return { type: v };
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw wrongType('function_call', 'a string or an object', v);
  return { type: 'tool', name: requireString(v as Json, 'name', 'function_call.name') };
}

export function decodeResponseFormat(v: unknown): ResponseFormat | undefined {
  if (isAbsent(v)) return undefined;
  const obj = asObject(v, 'response_format');
  const type = obj['type'];
  if (isAbsent(type)) throw missing('response_format.type');
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema') throw badValue('response_format.type', type, RESPONSE_FORMATS);
  const js = obj['json_schema'];
  if (isAbsent(js)) throw missing('response_format.json_schema');
  const spec = asObject(js, 'response_format.json_schema');
  const name = requireString(spec, 'name', 'response_format.json_schema.name');
  // OpenAI treats a missing schema as "any JSON"; an empty schema says the same to every upstream.
  const schema = isAbsent(spec['schema']) ? {} : asObject(spec['schema'], 'response_format.json_schema.schema');
  const out: ResponseFormat = { type: 'json_schema', name, schema };
  const strict = optBoolean(spec['strict'], 'response_format.json_schema.strict');
  if (strict !== undefined) out.strict = strict;
  const description = optString(spec['description'], 'response_format.json_schema.description');
  if (description !== undefined) out.description = description;
  return out;
}
