import { accountCases } from './accounts.case.js';
import { channelAndSettingsCases } from './channels-settings.case.js';
import { creditCases } from './credits.case.js';
import { ledgerCases } from './ledger.case.js';
import { migrationCases } from './migrations.case.js';
import { storeCaseContext } from './store-case-context.js';
import { describeWithDatabase, testDatabaseTarget, type TestDatabaseKind } from './test-databases.js';

/** The storage conformance suite: the same cases on whichever driver a runner names. */
export async function runStoreConformance(kind: TestDatabaseKind): Promise<void> {
  const target = await testDatabaseTarget(kind);
  describeWithDatabase(target, 'store conformance', (suite) => {
    const ctx = storeCaseContext(suite);
    migrationCases(ctx);
    accountCases(ctx);
    channelAndSettingsCases(ctx);
    creditCases(ctx);
    ledgerCases(ctx);
  });
}
