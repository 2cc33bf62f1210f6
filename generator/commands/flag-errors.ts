/**
 * Usage errors of the flag parser in zonal's words: node:util parseArgs messages name Node's
 * internals ("To specify a positional argument starting with a '-', place it after a '--'"),
 * so each is rewritten with what is wrong, the closest declared flag and how to fix it.
 */

/** Levenshtein distance (small strings: flag names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The declared flag closest to a mistyped one, when it is close enough to be the intent. */
export function closestFlag(typed: string, declared: readonly string[]): string | undefined {
  const name = typed.replace(/^-+/, '').split('=')[0]!;
  let best: { flag: string; d: number } | undefined;
  for (const flag of declared) {
    const d = flag.startsWith(name) && name.length >= 2 ? 0 : distance(name, flag);
    if (!best || d < best.d) best = { flag, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.flag.length / 3)) ? best.flag : undefined;
}

/** A parseArgs error as one zonal usage line. */
export function flagErrorMessage(err: unknown, declared: readonly string[], argLabel: (flag: string) => string): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /'([^']+)'/.exec(message)?.[1] ?? '';
    const guess = closestFlag(typed, declared);
    return `unknown flag ${typed}${guess ? ` (did you mean --${guess}?)` : ` (flags: ${declared.map((f) => `--${f}`).join(', ')})`}`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--([A-Za-z0-9-]+)/.exec(message)?.[1];
    if (flag && /argument missing/.test(message)) return `--${flag} needs a value (--${flag} ${argLabel(flag)})`;
    // `--timeout -1`: a value that begins with a dash reads as another flag.
    if (flag && /argument is ambiguous/.test(message)) return `--${flag} is followed by what looks like a flag (write --${flag}=VALUE for a value that begins with "-")`;
    if (flag) return `--${flag} takes no value (write --${flag} alone)`;
  }
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']*)'/.exec(message)?.[1] ?? '';
    return `unexpected argument "${arg}" (this command takes only flags; see --help)`;
  }
  return message;
}
