/**
 * Render functions are written once and run in two modes:
 * - ConcreteValues: every deploy-time knob takes its default, giving the objects `helm template`
 *   renders with the chart's own values.yaml (what lint, simulate and tests look at);
 * - HelmValues: every knob becomes a Go-template expression, giving the chart's templates.
 * One implementation for both is what keeps the chart and the predictions from drifting apart.
 */
export interface ValueSource {
  /** A scalar knob: `{{ expr }}` (strings are piped through `quote`). */
  scalar<T extends string | number | boolean>(expr: string, value: T): T;
  /** A structured knob rendered with `toYaml expr`. */
  block<T>(expr: string, value: T): T;
  /** Hand-written template lines for the value of a key, given the key's indentation. */
  raw<T>(lines: (indent: number) => string, value: T): T;
  /** A key present with `then` when `cond` holds, else with `otherwise` (undefined = key omitted). */
  when<T>(cond: string, condValue: boolean, then: T | undefined, otherwise: T | undefined): T;
}

export const ConcreteValues: ValueSource = {
  scalar: (_e, v) => v,
  block: (_e, v) => v,
  raw: (_l, v) => v,
  when: (_c, cv, then, otherwise) => (cv ? then : otherwise) as never,
};

export type Placeholder =
  | { kind: 'scalar'; expr: string; quote: boolean }
  | { kind: 'block'; expr: string }
  | { kind: 'raw'; lines: (indent: number) => string }
  | { kind: 'when'; cond: string; then: unknown; otherwise: unknown };

/** Placeholder tokens are plain alphanumeric so YAML dumps them unquoted, on one line. */
export const TOKEN = /ZNLPH(\d+)ZNL/;

export class HelmValues implements ValueSource {
  readonly placeholders: Placeholder[] = [];

  private token(p: Placeholder): string {
    this.placeholders.push(p);
    return `ZNLPH${this.placeholders.length - 1}ZNL`;
  }

  scalar<T extends string | number | boolean>(expr: string, value: T): T {
    return this.token({ kind: 'scalar', expr, quote: typeof value === 'string' }) as T;
  }

  block<T>(expr: string, _value: T): T {
    return this.token({ kind: 'block', expr }) as T;
  }

  raw<T>(lines: (indent: number) => string, _value: T): T {
    return this.token({ kind: 'raw', lines }) as T;
  }

  when<T>(cond: string, _condValue: boolean, then: T | undefined, otherwise: T | undefined): T {
    return this.token({ kind: 'when', cond, then, otherwise }) as T;
  }
}
