// Validates SQL statements with dt-sql-parser (ANTLR grammars of Trino and Hive SQL).
// stdin: JSON [{ dialect: 'trino' | 'hive', sql }]; stdout: JSON list of error lists, one per statement.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
const { TrinoSQL, HiveSQL } = await import('dt-sql-parser');
const parsers = { trino: new TrinoSQL(), hive: new HiveSQL() };
let input = '';
for await (const chunk of process.stdin) input += chunk;
const statements = JSON.parse(input);
process.stdout.write(JSON.stringify(statements.map((s) => parsers[s.dialect].validate(s.sql))));
