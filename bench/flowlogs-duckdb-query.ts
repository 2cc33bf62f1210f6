/**
 * The anchor of the Parquet bench: DuckDB running zonal's inter-zone query (the DuckDB rendering
 * of zone-query.ts) over a Parquet file, in its own process so its time and peak RSS are its own.
 *   node dist/bench/flowlogs-duckdb-query.js FILE.parquet
 * Prints the result rows as JSON.
 */
import { runDuckDb } from '../generator/flowlogs/parquet.js';
import { duckdbSource, renderDuckDb, zoneQueryDefinition } from '../generator/flowlogs/zone-query.js';
import { SYNTH_ZONES } from './flowlogs-synth.js';

const file = process.argv[2];
if (!file) throw new Error('usage: flowlogs-duckdb-query.js FILE.parquet');
const sql = renderDuckDb(zoneQueryDefinition(SYNTH_ZONES), { source: duckdbSource([file]) });
const rows = await runDuckDb(sql);
process.stdout.write(`${JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? Number(v) : v))}\n`);
