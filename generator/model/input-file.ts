import { readFileSync } from 'node:fs';
import { fileErrorReason, InputError } from '../errors.js';
import { oneLine } from './problems.js';
import { parseYamlDocuments, YamlSyntaxError, type PositionedDocument } from '../yaml/source-map.js';

/**
 * Reads a user-supplied input file (values, scenario, prices, subnets, ...). An unreadable file is
 * bad input, reported as `file:1:1: cannot read the <what> (...)` naming the flag to check.
 */
export function readInputFile(path: string, displayName: string, what: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError([`${displayName}:1:1: cannot read the ${what} (${fileErrorReason(err, flag)})`]);
  }
}

/** How to fix a YAML error: the resource limits have their own fix. */
function syntaxFix(reason: string): string {
  if (/maxDepth|nesting/i.test(reason)) return 'nest values at most 100 levels deep';
  if (/alias/i.test(reason)) return 'write the values out instead of nesting YAML aliases';
  return 'fix the YAML syntax; check indentation, quotes and that each key appears once';
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
      throw new InputError([oneLine(`${err.message} (${syntaxFix(err.reason)})`)]);
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
