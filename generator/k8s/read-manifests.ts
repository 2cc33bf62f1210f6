import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileErrorReason, InputError, isFileError } from '../errors.js';
import { YamlSyntaxError } from '../yaml/source-map.js';
import { parseManifests, type LocatedObject } from './manifest.js';

export const STDIN_NAME = '<stdin>';

const YAML_FIX = '(fix the YAML syntax; check indentation, quotes and that each key appears once)';

function isYaml(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** Files under `dir` (recursive, sorted, hidden entries skipped) that look like YAML. */
function yamlFilesUnder(dir: string, display: string): { path: string; display: string }[] {
  const out: { path: string; display: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const shown = join(display, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(path, shown));
    else if (entry.isFile() && isYaml(entry.name)) out.push({ path, display: shown });
  }
  return out;
}

/** An unreadable -f source as bad input; anything but a file-system error is a bug and rethrown. */
function readError(display: string, err: unknown): string {
  if (!isFileError(err)) throw err;
  return `${display}:1:1: cannot read (${err.code === 'ENOENT' ? 'no such file or directory; check the -f path' : fileErrorReason(err, '-f')})`;
}

/**
 * Reads every `-f` source (files, folders searched recursively for *.yaml/*.yml, `-` for stdin)
 * into located objects; collects every unreadable or invalid input before failing with InputError.
 */
export async function readManifestSources(paths: readonly string[], cwd: string, readStdin: () => Promise<string>): Promise<LocatedObject[]> {
  const problems: string[] = [];
  const texts: { text: string; display: string }[] = [];
  let stdinRead = false;
  for (const p of paths) {
    if (p === '-') {
      if (!stdinRead) texts.push({ text: await readStdin(), display: STDIN_NAME });
      stdinRead = true;
      continue;
    }
    const abs = resolve(cwd, p);
    try {
      if (statSync(abs).isDirectory()) {
        const files = yamlFilesUnder(abs, p);
        if (files.length === 0) problems.push(`${p}:1:1: no *.yaml or *.yml files in this folder (point -f at the manifests, or - for standard input)`);
        for (const f of files) texts.push({ text: readFileSync(f.path, 'utf8'), display: f.display });
      } else {
        texts.push({ text: readFileSync(abs, 'utf8'), display: p });
      }
    } catch (err) {
      problems.push(readError(p, err));
    }
  }
  const objects: LocatedObject[] = [];
  for (const { text, display } of texts) {
    try {
      objects.push(...parseManifests(text, display));
    } catch (err) {
      if (!(err instanceof YamlSyntaxError)) throw err;
      problems.push(`${err.message} ${YAML_FIX}`);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return objects;
}
