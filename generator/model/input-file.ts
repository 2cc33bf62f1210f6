import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { parseYamlDocuments, YamlSyntaxError, type PositionedDocument } from '../yaml/source-map.js';

/**
 * Reads a user-supplied input file (values, scenario, prices, subnets, ...). An unreadable file is
 * bad input, reported as `file:1:1: cannot read the <what> (...)` naming the flag to check.
 */
export function readInputFile(path: string, displayName: string, what: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError([`${displayName}:1:1: cannot read the ${what} (${code === 'ENOENT' ? `no such file; check the ${flag} path` : code})`]);
  }
}

/**
 * Parses a file that must hold exactly one YAML (or JSON) mapping and returns it with positions.
 * `shape` tells the user what the mapping looks like. An empty file gives undefined when
 * `allowEmpty`, else an error. Throws InputError with `file:line:col` lines.
 */
export function parseMappingDocument(text: string, file: string, shape: string, allowEmpty = false): PositionedDocument | undefined {
  let docs: PositionedDocument[];
  try {
    docs = parseYamlDocuments(text, file);
  } catch (err) {
    if (err instanceof YamlSyntaxError) {
      throw new InputError([`${err.message} (fix the YAML syntax; check indentation, quotes and that each key appears once)`]);
    }
    throw err;
  }
  const doc = docs[0];
  if (allowEmpty && (docs.length === 0 || (docs.length === 1 && doc!.value === null))) return undefined;
  const value = doc?.value;
  if (!doc || docs.length !== 1 || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError([`${file}:${docs[1]?.line ?? doc?.line ?? 1}:1: the file must hold exactly one YAML mapping: ${shape}` +
      ' (remove extra "---" documents)']);
  }
  return doc;
}
