import type { Database } from '../open-database.js';
import type { SecretBox } from '../secret-box.js';

/** What every repository gets: the database, a clock (tests move time), and the secret box for credentials. */
export interface RepositoryContext {
  database: Database;
  now(): number;
  secretBox?: SecretBox;
}

export interface Page {
  limit?: number;
  offset?: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function pageOf(page: Page | undefined): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(page?.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
  const offset = Math.max(Math.trunc(page?.offset ?? 0), 0);
  return { limit, offset };
}
