import type { GatewayError } from '../../spec/index.js';

/**
 * What decoding learned that matters only if the request is TRANSLATED for a
 * non-Anthropic upstream: an Anthropic upstream receives the client's body
 * as is (the relay), so these are kept aside instead of being reported or
 * thrown at once. `warn` collects lossy mappings; `refuse` keeps the first
 * thing that cannot be translated at all (thrown as a 400 on that path).
 */
export class DecodeNotes {
  readonly warnings: string[] = [];
  untranslatable: GatewayError | undefined;

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  refuse(err: GatewayError): void {
    this.untranslatable ??= err;
  }
}
