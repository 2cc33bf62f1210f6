/**
 * Splits one shell command line into words the way sh does for the simple lines the README and
 * the --help examples use: single and double quotes, backslash escapes, and the operators
 * `|`, `||`, `&&`, `;`, `>`, `>>`, `<`, `2>` as words of their own. No expansion ($VAR stays text).
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  const push = () => { if (has) words.push(cur); cur = ''; has = false; };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      cur += line.slice(i + 1, end); has = true; i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        cur += line[j];
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
      has = true; i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]; has = true;
    } else if (c === '#' && !has) {
      break; // a comment
    } else if (/\s/.test(c)) {
      push();
    } else if ('|&;<>'.includes(c)) {
      const two = line.slice(i, i + 2);
      const op = ['||', '&&', '>>'].includes(two) ? two : c;
      if (op === '&' ) { cur += c; has = true; continue; }
      if (c === '>' && cur === '2' && has) { cur = ''; has = false; words.push('2>'); continue; }
      push(); words.push(op); i += op.length - 1;
    } else {
      cur += c; has = true;
    }
  }
  push();
  return words;
}

export const SHELL_OPERATORS: ReadonlySet<string> = new Set(['|', '||', '&&', ';', '>', '>>', '<', '2>']);

/** The words of each simple command of a line (split at |, ||, &&, ;), redirections removed. */
export function simpleCommands(line: string): string[][] {
  const out: string[][] = [[]];
  const words = shellWords(line);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (['|', '||', '&&', ';'].includes(w)) out.push([]);
    else if (['>', '>>', '<', '2>'].includes(w)) i++; // the redirection's target
    else out.at(-1)!.push(w);
  }
  return out.filter((c) => c.length > 0);
}
