// Child process of kill.test.ts: writes a prepared generation (a JSON file of output directories)
// with zonal's write transaction, the way `zonal generate` does after rendering: recovery first,
// then the transaction. ZONAL_TEST_CRASH_AT=K makes it SIGKILL itself at step K.
import { readFileSync } from 'node:fs';
import { recoverInterrupted, writeGeneration } from '../../dist/generator/commands/shared/output-transaction.js';

const [root, targetsFile] = process.argv.slice(2);
const targets = JSON.parse(readFileSync(targetsFile, 'utf8'));
recoverInterrupted(root);
const crashAt = Number(process.env.ZONAL_TEST_CRASH_AT) || undefined;
const changed = writeGeneration(root, targets, { crashAt });
process.stdout.write(`${changed}\n`);
