import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, YAMLException, type Event } from 'js-yaml';
import { fastYamlDocument } from './fast-parse.js';

/** A 1-based line/column position in a source file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** One YAML document with the positions of every key and value in it, addressed by JSON pointer. */
export interface PositionedDocument {
  readonly value: unknown;
  /** Line of the document's first node. */
  readonly line: number;
  /** Position of the value at `pointer` ("" is the root, "/services/0/port" a nested value). */
  valueAt(pointer: string): SourcePosition | undefined;
  /** Position of the mapping key that holds `pointer` (falls back to the value's position). */
  keyAt(pointer: string): SourcePosition | undefined;
  /** The closest known position for `pointer`, walking up to its parents. */
  nearest(pointer: string): SourcePosition;
}

export class YamlSyntaxError extends Error {
  override readonly name = 'YamlSyntaxError';
  constructor(readonly file: string, readonly position: SourcePosition, readonly reason: string) {
    super(`${file}:${position.line}:${position.column}: ${reason}`);
  }
}

/** Escapes one JSON pointer segment (RFC 6901), as ajv's instancePath does. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  // indexOf scans natively: a char-by-char loop was a tenth of `lint -f` on large inputs.
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function toPosition(starts: readonly number[], offset: number): SourcePosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

interface Frame {
  readonly kind: 'map' | 'seq';
  readonly pointer: string;
  index: number;
  /** For maps: the pending key (null while the next scalar is a key). */
  key: string | null;
}

function eventStart(e: Event): number {
  switch (e.type) {
    case EVENT_ID.SCALAR: {
      // Point at the opening quote of a quoted scalar, where a reader's eye goes.
      const value = e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED ? e.valueStart - 1 : e.valueStart;
      const known = [e.anchorStart, e.tagStart, value].filter((n) => n >= 0).map((n) => (n === e.anchorStart ? n - 1 : n));
      return known.length ? Math.min(...known) : -1; // an empty value has no text of its own
    }
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return e.start;
    case EVENT_ID.ALIAS:
      return e.anchorStart - 1;
    default:
      return -1;
  }
}

/** Aliases per document; a hand-written configuration file needs a handful. */
export const MAX_ALIASES = 1000;
/**
 * Nodes a document may hold once its aliases are expanded. Aliases share one object in memory, but
 * every consumer that copies, validates or prints the value expands them ("billion laughs": nine
 * nested aliases of ten make 10^9 nodes from a few hundred bytes).
 */
export const MAX_EXPANDED_NODES = 1_000_000;

/** Nodes of a value with aliases expanded, counted once per distinct object; stops past `limit`. */
function expandedSize(value: unknown, limit: number): number {
  const memo = new Map<object, number>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    memo.set(v, limit + 1); // a cycle (a recursive alias) counts as too big
    let n = 1;
    for (const child of Object.values(v)) {
      n += size(child);
      if (n > limit) break;
    }
    memo.set(v, n);
    return n;
  };
  return size(value);
}

function checkExpansion(values: readonly unknown[], events: readonly Event[], starts: readonly number[], file: string): void {
  if (!events.some((e) => e.type === EVENT_ID.ALIAS)) return;
  for (const value of values) {
    if (expandedSize(value, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES) {
      const alias = events.find((e) => e.type === EVENT_ID.ALIAS)!;
      throw new YamlSyntaxError(file, toPosition(starts, Math.max(0, eventStart(alias))),
        `the YAML aliases here expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} values`);
    }
  }
}

/**
 * Parses every document of `text`, keeping a position for each key and value. js-yaml's event
 * stream carries source offsets; building values from the same events keeps the two consistent.
 * Throws YamlSyntaxError (with file:line:column) for invalid YAML, including duplicate keys.
 *
 * A document in the subset of yaml/fast-parse.ts (what values files are written in) is read by
 * that reader, which gives the same value; its positions come from js-yaml on first use.
 */
export function parseYamlDocuments(text: string, file: string): PositionedDocument[] {
  const fast = fastYamlDocument(text);
  if (!fast) return parseWithJsYaml(text, file);
  let located: PositionedDocument | undefined;
  const positions = (): PositionedDocument => (located ??= parseWithJsYaml(text, file)[0]!);
  return [{
    value: fast.value,
    line: fast.line,
    valueAt: (p) => positions().valueAt(p),
    keyAt: (p) => positions().keyAt(p),
    nearest: (p) => positions().nearest(p),
  }];
}

/** parseYamlDocuments with js-yaml alone (what the fast reader must agree with; tests compare the two). */
export function parseWithJsYaml(text: string, file: string): PositionedDocument[] {
  const starts = lineStarts(text);
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(text, { filename: file });
    values = constructFromEvents(events, { source: text, filename: file, maxAliases: MAX_ALIASES });
  } catch (err) {
    if (err instanceof YAMLException) {
      const mark = err.mark;
      throw new YamlSyntaxError(file, { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 }, err.reason);
    }
    throw err;
  }

  checkExpansion(values, events, starts, file);
  const docs: PositionedDocument[] = [];
  let valuesI = 0;

  /**
   * The key and value positions of one document (events [from, to)), built on first use: most
   * documents of a large manifest stream are never asked for a position, and building the maps for
   * all of them dominated parsing time and memory.
   */
  const positionsOf = (from: number, to: number): { keys: Map<string, SourcePosition>; vals: Map<string, SourcePosition> } => {
    const keys = new Map<string, SourcePosition>();
    const vals = new Map<string, SourcePosition>();
    const stack: Frame[] = [];
    let lastKey: SourcePosition | undefined;
    /** Returns the pointer of the node that the current event fills, or null if it is a map key. */
    const slot = (): string | null => {
      const top = stack[stack.length - 1];
      if (!top) return '';
      if (top.kind === 'seq') return `${top.pointer}/${top.index++}`;
      if (top.key === null) return null;
      const p = `${top.pointer}/${pointerSegment(top.key)}`;
      top.key = null;
      return p;
    };
    for (let i = from; i < to; i++) {
      const e = events[i]!;
      if (e.type === EVENT_ID.DOCUMENT) continue;
      if (e.type === EVENT_ID.POP) {
        stack.pop();
        continue;
      }
      const start = eventStart(e);
      // An empty value (`key:` and nothing) is placed at its key.
      const pos = start >= 0 ? toPosition(starts, start) : (lastKey ?? toPosition(starts, 0));
      const pointer = slot();
      if (pointer === null) {
        // A mapping key: remember it; complex keys are not addressable, so they get a placeholder.
        const top = stack[stack.length - 1]!;
        top.key = e.type === EVENT_ID.SCALAR ? getScalarValue(text, e) : `?${top.index++}`;
        keys.set(`${top.pointer}/${pointerSegment(top.key)}`, pos);
        lastKey = pos;
        if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'map', pointer: '/?', index: 0, key: null });
        continue;
      }
      vals.set(pointer, pos);
      if (e.type === EVENT_ID.MAPPING) stack.push({ kind: 'map', pointer, index: 0, key: null });
      else if (e.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'seq', pointer, index: 0, key: null });
    }
    return { keys, vals };
  };

  const finish = (from: number, to: number, docLine: number) => {
    const value = values[valuesI++];
    let maps: ReturnType<typeof positionsOf> | undefined;
    const get = () => (maps ??= positionsOf(from, to));
    docs.push({
      value,
      line: docLine,
      valueAt: (p) => get().vals.get(p),
      keyAt: (p) => get().keys.get(p) ?? get().vals.get(p),
      nearest: (p) => {
        const { keys: k, vals: v } = get();
        let cur = p;
        for (;;) {
          const hit = k.get(cur) ?? v.get(cur);
          if (hit) return hit;
          if (cur === '') return { line: docLine, column: 1 };
          cur = cur.slice(0, cur.lastIndexOf('/'));
        }
      },
    });
  };

  // One cheap pass finds each document's events and first line; positions come later, on demand.
  let depth = 0;
  let open = 0;
  let docStart = 0;
  let docLine = 1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.type === EVENT_ID.DOCUMENT) {
      if (depth === 0) {
        open = 0;
        docStart = i;
        docLine = 0;
      }
      depth++;
      continue;
    }
    if (e.type === EVENT_ID.POP) {
      if (open > 0) open--;
      else {
        depth--;
        finish(docStart, i + 1, docLine);
      }
      continue;
    }
    if (docLine === 0) docLine = toPosition(starts, Math.max(0, eventStart(e))).line;
    if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) open++;
  }
  return docs.filter((d, i) => !(d.value === null && i === docs.length - 1 && docs.length > 1));
}
