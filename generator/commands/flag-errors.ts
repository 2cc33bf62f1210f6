/**
 * Usage errors of the flag parser in zonal's words: node:util parseArgs messages name Node's
 * internals ("To specify a positional argument starting with a '-', place it after a '--'"),
 * so each is rewritten with what is wrong, the closest declared flag and how to fix it. Mistyped
 * commands and sub-commands get the same "did you mean" (unknownNameMessage).
 */

/** Edit distance with adjacent transpositions counted as one edit ("mks" -> "msk" is 1). Small strings. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The name in `names` closest to a mistyped one, when it is close enough to be the intent. */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = name.startsWith(typed) && typed.length >= 2 ? 0 : distance(typed, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** The declared flag closest to a mistyped one, when it is close enough to be the intent. */
export function closestFlag(typed: string, declared: readonly string[]): string | undefined {
  return closestName(typed.replace(/^-+/, '').split('=')[0]!, declared);
}

/**
 * A mistyped or missing command / sub-command / kind as one usage line:
 * `unknown sub-command "anlyze" (did you mean analyze?)`, else the list of valid names.
 */
export function unknownNameMessage(what: string, typed: string | undefined, names: readonly string[]): string {
  if (typed === undefined || typed === '') return `name a ${what}: ${names.join(', ')}`;
  const guess = closestName(typed, names);
  return `unknown ${what} "${typed}" (${guess ? `did you mean ${guess}?` : `${what}s: ${names.join(', ')}`})`;
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
