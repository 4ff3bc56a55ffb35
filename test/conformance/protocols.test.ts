import { protocolFixtures } from '../e2e/fakes.js';
import { protocolConformance } from './protocol.case.js';

for (const fixture of protocolFixtures()) protocolConformance(fixture);
