import { randomBytes } from 'node:crypto';
import { createStore, type Store } from '../../src/store/index.js';
import { SecretBox } from '../../src/store/secret-box.js';
import type { DatabaseSuiteContext } from './test-databases.js';

/** What every `*.case.ts` gets: the store over this runner's fresh database. */
export interface StoreCaseContext {
  store(): Store;
  suite: DatabaseSuiteContext;
}

export function storeCaseContext(suite: DatabaseSuiteContext): StoreCaseContext {
  let store: Store | undefined;
  const box = new SecretBox(randomBytes(32));
  return {
    suite,
    store: () => (store ??= createStore(suite.database(), { secretBox: box })),
  };
}

/** Unique names per test, since all cases of a runner share one database. */
export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
