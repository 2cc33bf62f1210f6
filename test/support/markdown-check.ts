/**
 * A small CommonMark/GFM reader for the generated README files: it splits each line into code
 * spans and text the way CommonMark does (backslash escapes, backtick runs of equal length) and
 * reports what would not render as written: escaped backticks, a backtick run that opens no code
 * span, raw HTML tags in text (`<region>` would vanish), a table row with another cell count than
 * its header (GFM splits cells on every unescaped `|`, in code spans too), an unclosed code fence.
 */
interface Piece { readonly code: boolean; readonly text: string }

function inlinePieces(line: string, problems: string[], where: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1]!)) {
      if (line[i + 1] === '`') problems.push(`${where}: escaped backtick`);
      text += ' '; // an escaped character is literal text: never markup
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 0;
      while (line[i + n] === '`') n++;
      const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
      close.lastIndex = i + n;
      const m = close.exec(line);
      if (!m) {
        problems.push(`${where}: backtick run of ${n} opens no code span`);
        i += n;
        continue;
      }
      pieces.push({ code: false, text });
      text = '';
      pieces.push({ code: true, text: line.slice(i + n, m.index) });
      i = m.index + n;
      continue;
    }
    text += c;
    i++;
  }
  pieces.push({ code: false, text });
  return pieces;
}

/** Cells of a GFM table row: GFM splits on every unescaped `|` before it parses code spans. */
function cellCount(line: string): number {
  const inner = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return 1 + (inner.replace(/\\./g, '').match(/\|/g) ?? []).length;
}

export function markdownProblems(markdown: string, file = 'README.md'): string[] {
  const problems: string[] = [];
  let fence: string | undefined;
  let tableCells: number | undefined;
  markdown.split('\n').forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (f && f[1]!.startsWith(fence)) fence = undefined;
      return;
    }
    if (f) {
      fence = f[1]!;
      return;
    }
    const pieces = inlinePieces(line, problems, where);
    for (const p of pieces) {
      const tag = !p.code && /<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>/.exec(p.text);
      if (tag) problems.push(`${where}: raw HTML ${tag[0]} in text`);
    }
    if (/^\s*\|/.test(line)) {
      const cells = cellCount(line);
      if (tableCells === undefined) tableCells = cells;
      else if (cells !== tableCells) problems.push(`${where}: table row with ${cells} cells, header has ${tableCells}`);
    } else tableCells = undefined;
  });
  if (fence !== undefined) problems.push(`${file}: code fence ${fence} never closed`);
  return problems;
}
