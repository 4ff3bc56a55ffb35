/** Helpers for `normalizeApiBase`: provider entries compose them, shared code never calls them by name. */

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Appends `suffix` unless the URL already ends with it. */
export function ensureSuffix(suffix: string): (url: string) => string {
  return (url) => {
    const base = trimSlash(url);
    return base.endsWith(suffix) ? base : `${base}${suffix}`;
  };
}

/** Appends `path` only when the URL has no path at all (host-only bases). */
export function pathIfBare(path: string): (url: string) => string {
  return (url) => {
    const base = trimSlash(url);
    try {
      return new URL(base).pathname.replace(/\/+$/, '') === '' ? `${base}${path}` : base;
    } catch {
      return base;
    }
  };
}
