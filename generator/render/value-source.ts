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

/** Every knob at its default: what `helm template` renders with the chart's own values.yaml. */
export const ConcreteValues: ValueSource = {
  scalar: (_e, v) => v,
  block: (_e, v) => v,
  raw: (_l, v) => v,
  when: (_c, cv, then, otherwise) => (cv ? then : otherwise) as never,
};

/** Each placeholder also keeps its default, so one render serves both the chart and the objects. */
export type Placeholder =
  | { kind: 'scalar'; expr: string; quote: boolean; value: unknown }
  | { kind: 'block'; expr: string; value: unknown }
  | { kind: 'raw'; lines: (indent: number) => string; value: unknown }
  | { kind: 'when'; cond: string; condValue: boolean; then: unknown; otherwise: unknown };

/** Printable ASCII without `"` and `\`: written inside the quotes as is. */
const PLAIN_GO_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * A Go template string literal holding `s` exactly, for use inside `{{ ... }}` actions. Go reads
 * `\"`, `\\` and `\xNN`/`\uNNNN` escapes; every other character stands for itself. Template code
 * zonal writes interpolates strings only through this (or yamlText), never with `${s}` alone.
 */
export function goString(s: string): string {
  // Most strings (names, keys, zones) need no escape: one test spares them the escaping pass (a
  // character loop there was a tenth of the lint gate).
  if (PLAIN_GO_STRING.test(s)) return `"${s}"`;
  // One native pass (a for-of over the characters allocated a step object per character in code
  // that runs before it is optimised: every service's proxy config annotation goes through here).
  return `"${s.replace(GO_ESCAPED, goEscape)}"`;
}

/** What goString escapes: `"` and `\`, C0 controls and DEL, C1 controls, LS and PS, and lone surrogates. */
const GO_ESCAPED = /["\\\x00-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A character's escape in a Go string literal; Go holds no lone surrogate, so one becomes U+FFFD. */
function goEscape(ch: string): string {
  const c = ch.charCodeAt(0);
  if (ch === '"' || ch === '\\') return `\\${ch}`;
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
  return `\\u${(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c).toString(16).padStart(4, '0')}`;
}

/**
 * Text of a template file that is data, not template code: every `{{` becomes the action
 * `{{ "{{" }}`, which prints `{{`, so Helm renders the text literally (the only active syntax of
 * Go templates outside actions is the left delimiter).
 */
export function templateText(text: string): string {
  return text.includes('{{') ? text.split('{{').join('{{ "{{" }}') : text;
}

/** Placeholder tokens are plain alphanumeric so YAML dumps them unquoted, on one line. */
const TOKEN_PREFIX = 'ZNLPH';
const TOKEN_FIRST = TOKEN_PREFIX.charCodeAt(0);

export class HelmValues implements ValueSource {
  readonly placeholders: Placeholder[] = [];
  /**
   * A per-render random nonce in every token, so a user string that looks like a token is never
   * taken for one (the tokens never reach the output, which stays deterministic). Math.random is
   * enough: the values file is written before the run and V8 seeds each process from the OS, and
   * node:crypto would cost every run some 7 ms of start-up.
   */
  private readonly nonce = randomHex(12);
  /** How every token of this render starts; the placeholder's index and `ZNL` follow. */
  readonly tokenMark = `${TOKEN_PREFIX}${this.nonce}x`;

  /**
   * Where the token starting at `at` in `text` ends, or -1 when none does. Read by hand, not with
   * a regular expression: every line of every template and every string of every object is
   * checked, and each match allocated an array.
   */
  tokenEnd(text: string, at: number): number {
    if (!text.startsWith(this.tokenMark, at)) return -1;
    const digits = at + this.tokenMark.length;
    let i = digits;
    while (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++; // NaN past the end
    return i > digits && text.startsWith('ZNL', i) ? i + 3 : -1;
  }

  /** The placeholder of the token from `at` to `end` (as tokenEnd found it). */
  placeholderAt(text: string, at: number, end: number): Placeholder {
    return this.placeholders[Number(text.slice(at + this.tokenMark.length, end - 3))]!;
  }

  /** The first token in `text`: its start and end, or undefined. */
  firstToken(text: string): { at: number; end: number } | undefined {
    for (let at = text.indexOf(this.tokenMark); at >= 0; at = text.indexOf(this.tokenMark, at + 1)) {
      const end = this.tokenEnd(text, at);
      if (end >= 0) return { at, end };
    }
    return undefined;
  }

  private token(p: Placeholder): string {
    this.placeholders.push(p);
    return `${TOKEN_PREFIX}${this.nonce}x${this.placeholders.length - 1}ZNL`;
  }

  scalar<T extends string | number | boolean>(expr: string, value: T): T {
    return this.token({ kind: 'scalar', expr, quote: typeof value === 'string', value }) as T;
  }

  block<T>(expr: string, value: T): T {
    return this.token({ kind: 'block', expr, value }) as T;
  }

  raw<T>(lines: (indent: number) => string, value: T): T {
    return this.token({ kind: 'raw', lines, value }) as T;
  }

  when<T>(cond: string, condValue: boolean, then: T | undefined, otherwise: T | undefined): T {
    return this.token({ kind: 'when', cond, condValue, then, otherwise }) as T;
  }

  /**
   * The tree with every placeholder at its default (ConcreteValues' result). Parts without a
   * placeholder or a string that `replace` rewrites are the tree's own (shared, not copied: this
   * walk visits every node of every object, and copying them all was a tenth of a small
   * generation's allocations); rendered trees are never modified, by this or by their readers.
   * `replace` rewrites strings on the way (used to put the real chart version into labels).
   */
  resolve(tree: unknown, replace: (s: string) => string = (s) => s): unknown {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') {
        // A string that is one whole token stands for its placeholder. The first character
        // decides for most strings without a call (this runs for every string of every object).
        if (v.charCodeAt(0) !== TOKEN_FIRST || this.tokenEnd(v, 0) !== v.length) return replace(v);
        const p = this.placeholderAt(v, 0, v.length);
        return walk(p.kind === 'when' ? (p.condValue ? p.then : p.otherwise) : p.value);
      }
      if (Array.isArray(v)) {
        // Index loops: cold code allocates an iterator result per for-of step.
        let out: unknown[] | undefined;
        for (let i = 0; i < v.length; i++) {
          const r = walk(v[i]);
          if (out) out.push(r);
          else if (r !== v[i]) (out = v.slice(0, i)).push(r);
        }
        return out ?? v;
      }
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        let out: Record<string, unknown> | undefined;
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          const r = walk(o[k]);
          if (!out) {
            // An undefined value is dropped, as a copy would drop it.
            if (r === o[k] && r !== undefined) continue;
            out = {};
            for (let j = 0; j < i; j++) out[keys[j]!] = o[keys[j]!];
          }
          if (r !== undefined) out[k] = r;
        }
        return out ?? o;
      }
      return v;
    };
    return walk(tree);
  }
}

/** `digits` random hex digits. */
function randomHex(digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return out.slice(0, digits);
}
