#!/usr/bin/env node
// The `switchyard` command. Runs the compiled CLI (npm start / npm install build it).
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  process.stderr.write(`switchyard: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
