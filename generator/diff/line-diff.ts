/** One line of a line diff: kept (' '), only in the old text ('-'), only in the new text ('+'). */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/**
 * Longest-common-subsequence line diff. Rendered Kubernetes objects are a few hundred lines, so
 * the quadratic table is small; common head and tail are trimmed first so a one-line change in
 * a long object costs almost nothing.
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const n = endA - start;
  const m = endB - start;
  // lcs[i][j] = LCS length of a[start+i..endA) and b[start+j..endB)
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[start + i] === b[start + j]
        ? lcs[(i + 1) * width + j + 1]! + 1
        : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = a.slice(0, start).map((text) => ({ op: ' ', text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ op: ' ', text: a[start + i]! });
      i++; j++;
    } else if (i < n && (j === m || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      out.push({ op: '-', text: a[start + i]! });
      i++;
    } else {
      out.push({ op: '+', text: b[start + j]! });
      j++;
    }
  }
  for (const text of a.slice(endA)) out.push({ op: ' ', text });
  return out;
}

/**
 * Unified-diff hunks (`@@ -l,s +l,s @@` headers, `context` unchanged lines around each change).
 * Removals are listed before additions within a change, as `diff -u` does.
 */
export function unifiedHunks(lines: readonly DiffLine[], context = 3): string[] {
  const changed = lines.map((l, idx) => (l.op === ' ' ? -1 : idx)).filter((idx) => idx >= 0);
  if (changed.length === 0) return [];
  const groups: Array<[number, number]> = [];
  for (const idx of changed) {
    const last = groups[groups.length - 1];
    if (last && idx - last[1] <= 2 * context + 1) last[1] = idx;
    else groups.push([idx, idx]);
  }
  // Line numbers (1-based) in old and new text before each diff line.
  const oldNo: number[] = [];
  const newNo: number[] = [];
  let o = 1;
  let nn = 1;
  for (const l of lines) {
    oldNo.push(o);
    newNo.push(nn);
    if (l.op !== '+') o++;
    if (l.op !== '-') nn++;
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(lines.length - 1, last + context);
    const slice = lines.slice(from, to + 1);
    const oldCount = slice.filter((l) => l.op !== '+').length;
    const newCount = slice.filter((l) => l.op !== '-').length;
    const oldStart = oldCount === 0 ? oldNo[from]! - 1 : oldNo[from]!;
    const newStart = newCount === 0 ? newNo[from]! - 1 : newNo[from]!;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const l of slice) out.push(`${l.op}${l.text}`);
  }
  return out;
}
