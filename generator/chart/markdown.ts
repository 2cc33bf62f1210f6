/**
 * Text that goes into the chart's README.md (CommonMark + GFM tables). Every string there that
 * zonal did not write itself (descriptions, names, default values) passes through one of these,
 * so it reads as text: never as HTML (`<region>`), emphasis, a link or a broken table cell.
 */

/** Characters CommonMark gives a meaning to inline, plus `|` (a GFM table cell ends there). */
const ACTIVE = /[\\*_<>[\]|&!#~]/g;

/**
 * Plain inline text: each active character backslash-escaped (CommonMark: any ASCII punctuation
 * may be), a backtick as the entity `&#96;`, so no `\``-style escape can be mistaken for a code span.
 */
export function markdownText(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(ACTIVE, (c) => `\\${c}`).replace(/`/g, '&#96;');
}

/**
 * A code span holding `s` literally: delimited by a backtick run longer than any inside it and
 * padded when `s` starts or ends with a backtick (CommonMark 6.1). In a table cell (`inTable`) a
 * `|` is written `\|`, which GFM removes before it parses the span.
 */
export function codeSpan(s: string, inTable = false): string {
  const text = s.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (/^ .* $/.test(text) && text.trim() !== '') ? ' ' : '';
  const body = inTable ? text.replace(/\|/g, '\\|') : text;
  return `${fence}${pad}${body}${pad}${fence}`;
}
