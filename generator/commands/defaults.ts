/** Defaults the CLI applies to flags of several commands (one source each). */

/** The values file `generate`, `lint` and `infra` read when no `--values` is given. */
export const DEFAULT_VALUES_FILE = 'values/octank-travel.yaml';
