/**
 * Anthropic `tools` and `tool_choice` → unified tools. Custom tools (an
 * `input_schema`, no `type` or `type: "custom"`) map one to one. Server and
 * Anthropic-defined tools (`web_search_*`, `bash_*`, `text_editor_*`,
 * `code_execution_*`, …) run inside Anthropic's API: an Anthropic upstream
 * receives them through the relay, any other upstream cannot run them, so on
 * that path they are omitted with a warning rather than failing the request
 * (Claude Code offers web search alongside its ordinary tools).
 */
import type { ChatRequest, FunctionTool } from '../../spec/index.js';
import { decodeCacheControl } from './decode-content-blocks.js';
import type { DecodeNotes } from './decode-notes.js';
import { asArray, asObject, isAbsent, isObject, missing, oneOf, optBoolean, optString, requireString, wrongType } from './json-checks.js';

const CUSTOM_TOOL_KEYS = new Set(['type', 'name', 'description', 'input_schema', 'cache_control', 'strict']);
const CHOICES = ['auto', 'any', 'tool', 'none'] as const;

type ToolFields = Pick<ChatRequest, 'tools' | 'toolChoice' | 'parallelToolCalls'>;

export function decodeTools(toolsRaw: unknown, choiceRaw: unknown, notes: DecodeNotes): ToolFields {
  const out: ToolFields = {};
  const omitted = new Set<string>();
  if (!isAbsent(toolsRaw)) {
    const tools: FunctionTool[] = [];
    asArray(toolsRaw, 'tools').forEach((raw, i) => {
      const param = `tools.${i}`;
      const t = asObject(raw, param);
      const type = optString(t['type'], `${param}.type`);
      if (type !== undefined && type !== 'custom') {
        const name = typeof t['name'] === 'string' ? t['name'] : type;
        omitted.add(name);
        notes.warn(`${param}: Anthropic server tool "${type}" cannot run on this upstream; omitted`);
        return;
      }
      tools.push(decodeCustomTool(t, param, notes));
    });
    out.tools = tools;
  }
  if (isAbsent(choiceRaw)) return out;
  const c = asObject(choiceRaw, 'tool_choice');
  if (isAbsent(c['type'])) throw missing('tool_choice.type');
  const type = oneOf(c['type'], 'tool_choice.type', CHOICES);
  const noParallel = type === 'none' ? undefined : optBoolean(c['disable_parallel_tool_use'], 'tool_choice.disable_parallel_tool_use');
  if (noParallel === true) out.parallelToolCalls = false;
  switch (type) {
    case 'auto':
      out.toolChoice = { type: 'auto' };
      break;
    case 'any':
      out.toolChoice = { type: 'required' };
      break;
    case 'none':
      out.toolChoice = { type: 'none' };
      break;
    case 'tool': {
      const name = requireString(c, 'name', 'tool_choice.name');
      if (omitted.has(name)) notes.warn(`tool_choice.name: "${name}" is an Anthropic server tool this upstream cannot run; tool choice not forced`);
      else out.toolChoice = { type: 'tool', name };
      break;
    }
  }
  return out;
}

function decodeCustomTool(t: Record<string, unknown>, param: string, notes: DecodeNotes): FunctionTool {
  const tool: FunctionTool = { type: 'function', name: requireString(t, 'name', `${param}.name`) };
  const schema = t['input_schema'];
  if (isAbsent(schema)) throw missing(`${param}.input_schema`);
  if (!isObject(schema)) throw wrongType(`${param}.input_schema`, 'a valid dictionary', schema);
  tool.parameters = schema;
  const description = optString(t['description'], `${param}.description`);
  if (description !== undefined) tool.description = description;
  const strict = optBoolean(t['strict'], `${param}.strict`);
  if (strict !== undefined) tool.strict = strict;
  if (decodeCacheControl(t['cache_control'], `${param}.cache_control`)) {
    notes.warn(`${param}.cache_control: caching hints on tools are not carried to this upstream; ignored`);
  }
  for (const k of Object.keys(t)) {
    if (!CUSTOM_TOOL_KEYS.has(k) && !isAbsent(t[k])) notes.warn(`${param}.${k}: Anthropic tool option not carried to this upstream; ignored`);
  }
  return tool;
}
