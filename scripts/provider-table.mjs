// Writes the provider table between <!-- providers:start --> and <!-- providers:end -->
// in README.md from the compiled catalog (run through `npm run providers:table`,
// which builds first). The lead owns the README's prose; only the marked block changes.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { renderProviderTable, replaceProviderTable, currentProviderTable } = await import('../dist/catalog/provider-table.js');
const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const readme = readFileSync(readmePath, 'utf8');
const table = renderProviderTable();
if (currentProviderTable(readme) === table) {
  console.log('README provider table is up to date');
} else {
  writeFileSync(readmePath, replaceProviderTable(readme, table));
  console.log(`README provider table written (${table.split('\n').length - 4} providers)`);
}
