import type { z } from 'zod';
import { formatPath, type IssueCollector, type PathSegment } from './config-error.js';

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

/** Records zod's issues with their paths; paths in `skip` were already reported (unset env variables). */
export function addZodIssues(
  error: z.ZodError,
  issues: IssueCollector,
  skip: ReadonlySet<string> = new Set(),
  prefix: readonly PathSegment[] = [],
): void {
  for (const issue of error.issues) {
    const path = [...prefix, ...toSegments(issue.path)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.add([...path, key], 'unknown key (check the spelling; see docs/config.md)');
      continue;
    }
    if (skip.has(formatPath(path))) continue;
    // zod says "expected string, received undefined" for a missing key; say it plainly.
    const missingKey = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    issues.add(path, missingKey ? `is required (${issue.expected})` : issue.message);
  }
}
