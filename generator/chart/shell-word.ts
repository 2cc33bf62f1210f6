/**
 * A user's string as one word of a POSIX shell command that a generated document tells the reader
 * to run (the chart README's `zonal generate --values FILE`): copied and pasted, it is that string
 * and nothing else is expanded or run.
 *
 * - only characters no shell treats specially: as is;
 * - printable text: single quotes (`'` written as `'\''`), where `$()`, backticks and `$VAR` are
 *   plain text;
 * - a line break, another control character or a backtick (which would end a Markdown code span):
 *   bash's `$'...'` with escapes, so the word stays on one line.
 */
export function shellWord(s: string): string {
  if (/^[A-Za-z0-9._/@%+=:,-]+$/.test(s)) return s;
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f\u007f-\u009f\u2028\u2029`]/.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x60 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if ((c >= 0x80 && c <= 0x9f) || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}
