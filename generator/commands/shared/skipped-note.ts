import { relative } from 'node:path';
import type { SkippedLine } from '../../flowlogs/analyze.js';
import { escapeControls } from '../../model/problems.js';

/** A path as the user reads it: relative to the working directory when it is below it. */
export function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

/**
 * The stderr line of a skipped flow-log line or a damaged file (`file:line: skipped|damaged:
 * reason: text`), one terminal line whatever the line held. flowlogs analyze and report print the
 * same notes: the first malformed lines, and every damaged gzip member or file.
 */
export function skippedNote(cwd: string, s: SkippedLine): string {
  return `${escapeControls(`${displayPath(cwd, s.file)}:${s.line}: ${s.damage ? 'damaged' : 'skipped'}: ${s.reason}${s.text ? `: ${s.text}` : ''}`)}\n`;
}
