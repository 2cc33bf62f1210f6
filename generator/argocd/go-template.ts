/**
 * The small subset of Go templates zonal puts into ApplicationSet templates: `{{ .key }}` field
 * references only. Knowing exactly which keys a template reads lets the generator (and its tests)
 * prove that every reference is defined by every list-generator element, which is what
 * `goTemplateOptions: ["missingkey=error"]` would otherwise only reveal inside Argo CD.
 */

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      strings(k, out);
      strings(v, out);
    }
  }
  return out;
}

/** Every Go-template action in the strings (keys included) of a value tree, e.g. `.env`. */
export function templateActions(value: unknown): string[] {
  return strings(value).flatMap((s) => [...s.matchAll(ACTION)].map((m) => m[1]!));
}

/** The keys that `{{ .key }}` actions read; any other action is reported as unsupported. */
export function templateReferences(value: unknown): { keys: string[]; unsupported: string[] } {
  const keys = new Set<string>();
  const unsupported: string[] = [];
  for (const action of templateActions(value)) {
    const m = FIELD.exec(action);
    if (m) keys.add(m[1]!);
    else unsupported.push(action);
  }
  return { keys: [...keys].sort(), unsupported };
}

/** Problems with a template against list elements: unsupported actions, keys some element lacks. */
export function templateProblems(template: unknown, elements: readonly Record<string, unknown>[]): string[] {
  const { keys, unsupported } = templateReferences(template);
  const problems = unsupported.map((a) => `unsupported template action "{{ ${a} }}"`);
  elements.forEach((el, i) => {
    for (const k of keys) if (!(k in el)) problems.push(`element ${i} does not define "${k}" (read as {{ .${k} }})`);
  });
  return problems;
}

/** Applies `{{ .key }}` references to a value tree as the ApplicationSet controller would. */
export function expandTemplate<T>(template: T, element: Readonly<Record<string, unknown>>): T {
  const expand = (s: string) =>
    s.replace(ACTION, (whole, action: string) => {
      const m = FIELD.exec(action);
      if (!m) throw new Error(`unsupported template action ${whole}`);
      if (!(m[1]! in element)) throw new Error(`map has no entry for key "${m[1]}"`);
      return String(element[m[1]!]);
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return expand(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [expand(k), walk(x)]));
    return v;
  };
  return walk(template) as T;
}
