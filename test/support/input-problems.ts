import { InputError } from '../../generator/errors.js';

/** The problem lines of the InputError that `fn` throws; any other outcome fails the test. */
export function inputProblems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return [...err.problems];
    throw err;
  }
  throw new Error('expected an InputError');
}
