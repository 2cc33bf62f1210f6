import { constructFromEvents, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, YAMLException, type Event } from 'js-yaml';

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
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
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
      return Math.min(...[e.anchorStart, e.tagStart, value].filter((n) => n >= 0).map((n) => (n === e.anchorStart ? n - 1 : n)));
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

/**
 * Parses every document of `text`, keeping a position for each key and value. js-yaml's event
 * stream carries source offsets; building values from the same events keeps the two consistent.
 * Throws YamlSyntaxError (with file:line:column) for invalid YAML, including duplicate keys.
 */
export function parseYamlDocuments(text: string, file: string): PositionedDocument[] {
  const starts = lineStarts(text);
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(text, { filename: file });
    values = constructFromEvents(events, { source: text, filename: file });
  } catch (err) {
    if (err instanceof YAMLException) {
      const mark = err.mark;
      throw new YamlSyntaxError(file, { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 }, err.reason);
    }
    throw err;
  }

  const docs: PositionedDocument[] = [];
  let values_i = 0;
  let stack: Frame[] = [];
  let keys = new Map<string, SourcePosition>();
  let vals = new Map<string, SourcePosition>();
  let docLine = 1;
  let depth = 0;

  const finish = () => {
    const k = keys;
    const v = vals;
    const value = values[values_i++];
    docs.push({
      value,
      line: docLine,
      valueAt: (p) => v.get(p),
      keyAt: (p) => k.get(p) ?? v.get(p),
      nearest: (p) => {
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

  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) {
      if (depth === 0) {
        stack = [];
        keys = new Map();
        vals = new Map();
        docLine = 0;
      }
      depth++;
      continue;
    }
    if (e.type === EVENT_ID.POP) {
      if (stack.length > 0) stack.pop();
      else {
        depth--;
        finish();
      }
      continue;
    }
    const pos = toPosition(starts, Math.max(0, eventStart(e)));
    if (docLine === 0) docLine = pos.line;
    const pointer = slot();
    if (pointer === null) {
      // A mapping key: remember it; complex keys are not addressable, so they get a placeholder.
      const top = stack[stack.length - 1]!;
      top.key = e.type === EVENT_ID.SCALAR ? getScalarValue(text, e) : `?${top.index++}`;
      keys.set(`${top.pointer}/${pointerSegment(top.key)}`, pos);
      if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'map', pointer: '/?', index: 0, key: null });
      continue;
    }
    vals.set(pointer, pos);
    if (e.type === EVENT_ID.MAPPING) stack.push({ kind: 'map', pointer, index: 0, key: null });
    else if (e.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'seq', pointer, index: 0, key: null });
  }
  return docs.filter((d, i) => !(d.value === null && i === docs.length - 1 && docs.length > 1));
}
