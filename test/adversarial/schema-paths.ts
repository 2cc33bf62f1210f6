/**
 * Walks a JSON Schema next to a base document and lists every place a user string goes: string
 * values (JSON pointers into the base document) and the keys of open maps.
 */
type Schema = Record<string, unknown>;

export interface StringSlot {
  /** JSON pointer of the value (kind 'value') or of the map whose first key is replaced (kind 'key'). */
  readonly pointer: string;
  readonly kind: 'value' | 'key';
}

const seg = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function isStringSchema(s: Schema): boolean {
  const t = s.type;
  if (t === 'string' || (Array.isArray(t) && t.includes('string'))) return true;
  const e = (s.enum ?? (s.const !== undefined ? [s.const] : undefined)) as unknown[] | undefined;
  return Array.isArray(e) && e.every((x) => typeof x === 'string');
}

function resolve(root: Schema, s: Schema): Schema {
  const ref = s.$ref as string | undefined;
  if (!ref?.startsWith('#/')) return s;
  return ref.slice(2).split('/').reduce<Schema>((acc, k) => acc[k] as Schema, root);
}

/** Every string slot of `schema` that exists (or can be created as a map entry) in `doc`. */
export function stringSlots(root: Schema, doc: unknown): { slots: StringSlot[]; uncovered: string[] } {
  const slots: StringSlot[] = [];
  const uncovered: string[] = [];
  const seen = new Set<string>();
  const created = new Map<string, number>();
  const add = (slot: StringSlot) => {
    // One slot per field: services[0].name and services[1].name are the same field. A slot the
    // base holds wins over one that would be created (a created list item lacks its required keys).
    const id = `${slot.kind}:${slot.pointer.replace(/\/[0-9]+(?=\/|$)/g, '/*')}`;
    const inBase = valueAt(doc, slot) !== undefined;
    if (!seen.has(id)) {
      seen.add(id);
      if (!inBase) created.set(id, slots.length);
      slots.push(slot);
    } else if (inBase && created.has(id)) {
      slots[created.get(id)!] = slot;
      created.delete(id);
    }
  };
  const walk = (raw: Schema, value: unknown, pointer: string, parentExists: boolean) => {
    const s = resolve(root, raw);
    for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of (s[key] as Schema[] | undefined) ?? []) walk(sub, value, pointer, parentExists);
    for (const key of ['then', 'else']) if (s[key]) walk(s[key] as Schema, value, pointer, parentExists);
    if (isStringSchema(s)) {
      if (parentExists) add({ pointer, kind: 'value' });
      else uncovered.push(pointer);
    }
    const props = s.properties as Record<string, Schema> | undefined;
    if (props) {
      const isObj = value !== null && typeof value === 'object' && !Array.isArray(value);
      for (const [k, sub] of Object.entries(props)) {
        walk(sub, isObj ? (value as Record<string, unknown>)[k] : undefined, `${pointer}/${seg(k)}`, isObj || (parentExists && value === undefined));
      }
    }
    if (s.items && typeof s.items === 'object') {
      if (Array.isArray(value) && value.length > 0) value.forEach((item, i) => walk(s.items as Schema, item, `${pointer}/${i}`, true));
      else walk(s.items as Schema, undefined, `${pointer}/0`, parentExists && value === undefined);
    }
    const extra = s.additionalProperties;
    if (extra && typeof extra === 'object') {
      const isObj = value !== null && typeof value === 'object' && !Array.isArray(value);
      const first = isObj ? Object.keys(value as object)[0] : undefined;
      if (first !== undefined) {
        add({ pointer, kind: 'key' });
        walk(extra as Schema, (value as Record<string, unknown>)[first], `${pointer}/${seg(first)}`, true);
      } else if (isStringSchema(resolve(root, extra as Schema)) && (isObj || parentExists)) {
        // An open map of strings the base leaves out: one entry is created for the key and the value.
        add({ pointer: `${pointer}/zq-entry`, kind: 'value' });
        add({ pointer, kind: 'key' });
      } else uncovered.push(`${pointer}/*`);
    }
  };
  walk(root, doc, '', true);
  const generic = (p: string) => p.replace(/\/[0-9]+(?=\/|$)/g, '/*');
  const covered = new Set(slots.map((s) => (s.kind === 'key' ? `${generic(s.pointer)}/*` : generic(s.pointer))));
  return { slots, uncovered: [...new Set(uncovered.filter((p) => !covered.has(generic(p))).map(generic))] };
}

/** A deep copy of `doc` with `payload` at the slot (maps on the way are created). */
export function withPayload(doc: unknown, slot: StringSlot, payload: string): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  const parts = slot.pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (slot.kind === 'key') {
    let node: Record<string, unknown> = copy;
    parts.forEach((p, i) => {
      node = (node[p] ??= i === parts.length - 1 ? { 'zq-entry': 'zqplain' } : {}) as Record<string, unknown>;
    });
    const [first] = Object.keys(node);
    const value = node[first!];
    delete node[first!];
    node[payload] = value;
    return copy;
  }
  let node: Record<string, unknown> = copy;
  parts.slice(0, -1).forEach((p, i) => {
    node[p] ??= /^[0-9]+$/.test(parts[i + 1]!) ? [] : {};
    node = node[p] as Record<string, unknown>;
  });
  node[parts[parts.length - 1]!] = payload;
  return copy;
}

/** The value a slot has in `doc` (undefined when the slot is created by withPayload). */
export function valueAt(doc: unknown, slot: StringSlot): unknown {
  const parts = slot.pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc;
  for (const p of parts) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[p] : undefined;
  return slot.kind === 'key' ? (node && typeof node === 'object' ? Object.keys(node)[0] : undefined) : node;
}
