import { runStoreConformance } from './all-store-cases.js';

await runStoreConformance('mysql');
