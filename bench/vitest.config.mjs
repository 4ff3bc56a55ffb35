// The bench's own checks (not part of `npm test`, which covers src/ and test/):
//   npx vitest run --config bench/vitest.config.mjs
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The repo's own cache dir, so no bench/node_modules/ appears.
  cacheDir: new URL('../node_modules/.vite', import.meta.url).pathname,
  test: { root: new URL('.', import.meta.url).pathname, include: ['test/**/*.test.mjs'], testTimeout: 30_000 },
});
