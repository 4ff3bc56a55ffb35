import type { Identity } from '../spec/index.js';
import type { LimitSubject } from './limiter-store.js';

/** The limit columns of a stored key or team (null = unlimited); structural, so limits/ needs no store import. */
export interface LimitFields {
  rpm: number | null;
  tpm: number | null;
  maxParallel?: number | null;
}

/** In-memory account records, as the server's account directory holds them. */
export interface LimitRecords {
  key(id: string): LimitFields | undefined;
  team(id: string): LimitFields | undefined;
}

const NONE: readonly LimitSubject[] = Object.freeze([]);

/**
 * Builds `limitsFor` from the account records: the key's rpm, tpm and
 * parallel requests, and the team's rpm and tpm (shared by all its keys).
 * A caller with no limit anywhere gets the same empty list every time, so
 * unlimited traffic allocates nothing here.
 */
export function accountLimits(records: LimitRecords): (identity: Identity) => readonly LimitSubject[] {
  return (identity) => {
    const key = identity.keyId !== undefined ? subject('key', identity.keyId, records.key(identity.keyId)) : undefined;
    const team = identity.teamId !== undefined ? subject('team', identity.teamId, records.team(identity.teamId)) : undefined;
    if (key && team) return [key, team];
    if (key) return [key];
    if (team) return [team];
    return NONE;
  };
}

function subject(label: 'key' | 'team', id: string, f: LimitFields | undefined): LimitSubject | undefined {
  if (!f) return undefined;
  const rpm = f.rpm ?? undefined;
  const tpm = f.tpm ?? undefined;
  const maxParallel = f.maxParallel ?? undefined;
  if (rpm === undefined && tpm === undefined && maxParallel === undefined) return undefined;
  return {
    id: `${label}:${id}`,
    label,
    ...(rpm !== undefined ? { rpm } : {}),
    ...(tpm !== undefined ? { tpm } : {}),
    ...(maxParallel !== undefined ? { maxParallel } : {}),
  };
}
