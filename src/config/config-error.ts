/** One problem in a configuration source, located by its path inside the file. */
export interface ConfigIssue {
  /** e.g. "model_list[2].litellm_params.model"; "" for the file as a whole. */
  path: string;
  message: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/**
 * Configuration that cannot be used. The message names the file (or the
 * environment), the path inside it and the problem, one issue per line, so
 * the CLI can print it as is and exit.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** File path, or "environment" for settings read from variables. */
  readonly source: string;
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: ConfigIssue[]) {
    super(formatIssues(source, issues));
    this.source = source;
    this.issues = issues;
  }
}

function formatIssues(source: string, issues: ConfigIssue[]): string {
  const lines = issues.map((i) => {
    const where = i.line === undefined ? source : `${source}:${i.line}`;
    return i.path === '' ? `${where}: ${i.message}` : `${where}: ${i.path}: ${i.message}`;
  });
  if (lines.length === 1) return lines[0] ?? '';
  return `${issues.length} problems in ${source}:\n  ${lines.join('\n  ')}`;
}

export type PathSegment = string | number;

/** ["model_list", 2, "litellm_params"] → "model_list[2].litellm_params". */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else {
      const key = String(s);
      // Keys that are not plain identifiers (public model names like "gpt-4o") are quoted.
      const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
      out += plain ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Collects issues and warnings while a loader walks a file, then throws once with all of them. */
export class IssueCollector {
  readonly issues: ConfigIssue[] = [];
  constructor(
    readonly source: string,
    private readonly lineOf: (path: readonly PathSegment[]) => number | undefined = () => undefined,
  ) {}

  add(path: readonly PathSegment[], message: string): void {
    const line = this.lineOf(path);
    this.issues.push(line === undefined ? { path: formatPath(path), message } : { path: formatPath(path), message, line });
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new ConfigError(this.source, this.issues);
  }
}
