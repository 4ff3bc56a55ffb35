#!/usr/bin/env node
// Router overhead per request, in process: the whole Router.run path
// (candidate filtering, health reads, strategy, attempt record, health
// update) around an attempt that answers at once, for a model group of 10
// deployments against a group of 1, in the same run. Reports ns/request for
// each strategy and the 10:1 ratio; rounds alternate the rows so machine
// drift touches both alike, and the medians are quoted. The loop's own cost
// (building a request context) is measured each round and taken off.
//
//   npm run build && node bench/router-overhead.mjs [--iterations 200000] [--rounds 7]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const ITERATIONS = arg('iterations', 200_000);
const ROUNDS = arg('rounds', 7);

const dist = fileURLToPath(new URL('../dist/router/index.js', import.meta.url));
if (!existsSync(dist)) {
  console.error('dist/ missing: run `npm run build` first');
  process.exit(1);
}
const { ModelRegistry, Router, defaultRouterSettings } = await import(dist);

function deployment(group, i) {
  return {
    id: `${group}#${i}`,
    publicModel: group,
    provider: 'openai',
    protocol: 'openai',
    target: { provider: 'openai', baseUrl: 'http://127.0.0.1:9/v1', model: `m${i}`, auth: { kind: 'bearer' } },
    weight: 1 + (i % 3),
    order: 1,
    rpm: 1e9,
    tpm: 1e12,
    tags: [],
    modelInfo: { contextWindow: 128_000, inputCostPerToken: 1e-6 * (i + 1), outputCostPerToken: 2e-6 * (i + 1) },
    source: 'config',
  };
}

const deployments = [deployment('single', 0), ...Array.from({ length: 10 }, (_, i) => deployment('ten', i))];
const protocol = { id: 'openai' };
const answer = Promise.resolve('ok');
const attempt = () => answer;

function context() {
  return { requestId: 'r', startedAt: 0, signal: new AbortController().signal, identity: null, endpoint: 'chat', dialect: 'openai-chat', stream: false, tags: [], warnings: [], responseHeaders: {}, attempts: [] };
}

async function measure(router, group, n) {
  const opts = { estimatedInputTokens: 200, maxOutputTokens: 100 };
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await router.run(group, context(), attempt, opts);
  return Number(process.hrtime.bigint() - start) / n;
}

/** The loop's own cost (a fresh request context, one await), taken off every row. */
async function baseline(n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    context();
    await answer;
  }
  return Number(process.hrtime.bigint() - start) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const strategies = ['weighted-random', 'round-robin', 'least-busy', 'lowest-latency', 'usage-based', 'lowest-cost'];
console.log(`router overhead, ${ITERATIONS} requests x ${ROUNDS} rounds per row (median ns/request)`);
console.log('strategy          1 deployment   10 deployments   ratio');
for (const strategy of strategies) {
  const router = new Router({ registry: new ModelRegistry(deployments), settings: { ...defaultRouterSettings(), strategy }, protocolFor: () => protocol });
  await measure(router, 'single', 20_000);
  await measure(router, 'ten', 20_000);
  const one = [];
  const ten = [];
  for (let r = 0; r < ROUNDS; r++) {
    const base = await baseline(ITERATIONS);
    if (r % 2 === 0) {
      one.push((await measure(router, 'single', ITERATIONS)) - base);
      ten.push((await measure(router, 'ten', ITERATIONS)) - base);
    } else {
      ten.push((await measure(router, 'ten', ITERATIONS)) - base);
      one.push((await measure(router, 'single', ITERATIONS)) - base);
    }
  }
  const ratios = one.map((o, i) => ten[i] / o);
  console.log(`${strategy.padEnd(18)}${median(one).toFixed(0).padStart(12)}${median(ten).toFixed(0).padStart(17)}${median(ratios).toFixed(2).padStart(8)}`);
}
