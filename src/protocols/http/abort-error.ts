/** The abort reason as the Error undici is handed (its own AbortError shape when the reason is not one). */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'UND_ERR_ABORTED' });
}
