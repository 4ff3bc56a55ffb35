import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NPM_START_NODE_ARGS } from '../lib/targets.mjs';

describe('bench targets', () => {
  it('run the gateway with the node flags `npm start` uses', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.start).toContain(`node ${NPM_START_NODE_ARGS} bin/switchyard.js`);
  });
});
