/**
 * The errors every layer may throw. This module sits at the bottom of the import graph: domain
 * modules (model, k8s, cost, flowlogs, simulate, istio ...) throw these, and only the CLI layer
 * (`commands/`, `bin.ts`) turns them into exit codes and messages.
 *
 * - `UsageError`: wrong flags or arguments; the CLI prints the message and the usage, exit 2.
 * - `InputError`: bad user input, already described as one line per problem
 *   (`file:line:col: what is wrong (how to fix)` or `command: what (fix)`), exit 2.
 * - anything else escaping a command is a bug in zonal: exit 70 with "this is a bug in zonal".
 */

import { getSystemErrorMap } from 'node:util';

/** Thrown for wrong flags or arguments; the CLI prints the message and the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Thrown for bad user input that has already been described as one line per problem
 * (`file:line:col: what is wrong (how to fix)`); the CLI prints the lines, exit 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;
/** BSD `EX_SOFTWARE`: an internal error, never the user's fault. */
export const EXIT_INTERNAL = 70;

/**
 * Why a file the user named could not be read or written, in words with the fix (never a bare
 * errno): `flag` names the option to check, e.g. "--scenario".
 */
export function fileErrorReason(err: unknown, flag?: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const check = flag ? `; check the ${flag} path` : '';
  switch (code) {
    case 'ENOENT': return `no such file${check}`;
    case 'EISDIR': return `is a directory, not a file${check}`;
    case 'ENOTDIR': return `a part of the path is not a directory${check}`;
    case 'EACCES':
    case 'EPERM': return 'permission denied (check the file\'s permissions)';
    case 'ELOOP': return `too many symbolic links${check}`;
    case 'ENAMETOOLONG': return `the path is too long${check}`;
    case 'EMFILE':
    case 'ENFILE': return 'too many open files (raise ulimit -n)';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'read-only file system';
    case 'EEXIST': return `a file is where a folder is needed${check}`;
    case 'EIO': return 'input/output error (the disk or file system failed; try again or check it)';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EFBIG': return 'file too large for the file system';
    case 'EBUSY': return 'the file or folder is busy (in use by another process)';
    default: {
      // Any other errno in words (the system's own description), never the bare code.
      const errno = (err as NodeJS.ErrnoException | undefined)?.errno;
      const described = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
      if (described) return `${described}${check}`;
      return code ? `file-system error${check}` : String((err as Error)?.message ?? err);
    }
  }
}

/** Whether err is a Node.js file-system error (has an errno code), as opposed to a bug. */
export function isFileError(err: unknown): err is NodeJS.ErrnoException {
  // Duck-typed, not `instanceof Error`: errors of node:fs may come from another realm (vm contexts, jest).
  const e = err as Partial<NodeJS.ErrnoException> | null;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.syscall === 'string';
}

/**
 * Thrown by pure builders (queries, AWS names, tags) for a value they cannot use, before anyone
 * knows which flag or file it came from: the CLI catches exactly this class and reports it as bad
 * input naming the flag or file (a TypeError or any other Error stays a bug, exit 70).
 */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}
