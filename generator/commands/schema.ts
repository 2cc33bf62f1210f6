import { valuesSchema } from '../model/values-schema.js';
import { EXIT_OK } from './command.js';
import { defineCommand } from './declare.js';

/** The committed copy that editors read (the example values file's modeline points at it). */
export const SCHEMA_FILE = 'schemas/zonal-values.schema.json';

/** The values schema as `zonal schema` prints it (and as SCHEMA_FILE holds it). */
export function valuesSchemaText(): string {
  return `${JSON.stringify(valuesSchema, null, 2)}\n`;
}

export default defineCommand({
  name: 'schema',
  summary: 'print the JSON Schema of the zonal values file (for editors and CI)',
  synopsis: [''],
  description: `Prints the JSON Schema (draft-07) that zonal validates values files with. Point your editor at
it with a first-line modeline, as values/octank-travel.yaml does:

  # yaml-language-server: $schema=../${SCHEMA_FILE}`,
  examples: [
    'zonal schema > schemas/zonal-values.schema.json',
  ],
  flags: {},
  footer: 'Exit codes: 0 ok, 2 usage.',
}, async (_parsed, io) => {
  io.stdout(valuesSchemaText());
  return EXIT_OK;
});
