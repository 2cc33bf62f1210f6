import { CORE_SCHEMA } from 'js-yaml';

/**
 * A fast reader for the YAML that values files are written in: one document of block mappings and
 * sequences, one-line flow collections, plain and quoted one-line scalars and comments. It gives
 * exactly the value js-yaml gives (plain scalars are resolved by js-yaml's own core schema) or,
 * for anything outside that subset (anchors, tags, block scalars, multi-line scalars, escapes,
 * several documents, tabs, a duplicate key, anything js-yaml might refuse), undefined: the caller
 * then parses with js-yaml, which also gives every error its message and position.
 *
 * Why: at 100 services js-yaml's event parser was a tenth of `zonal generate`. Positions, which
 * only findings and errors need, still come from js-yaml, on first use (yaml/source-map.ts).
 * test/yaml/fast-parse.test.ts checks the equality on every YAML file of the repository and on
 * random and mutated documents.
 */
export interface FastDocument {
  readonly value: unknown;
  /** 1-based line of the document's first node (what js-yaml's first event gives). */
  readonly line: number;
}

/** Thrown inside the reader when the text leaves the subset; never escapes fastYamlDocument. */
class OutsideSubset extends Error {}
const outside = (): never => {
  throw new OutsideSubset();
};

interface Line {
  readonly no: number;
  readonly indent: number;
  /** The line after its indentation (comments still in it). */
  readonly text: string;
}

/** A mapping key: letters, digits and `_./-`, then a colon at the end or before a space. */
const KEY = /^([A-Za-z0-9_][A-Za-z0-9_./-]{0,200}):(?: +(.*))?$/;
/** How a plain scalar of the subset may start (no indicator, no `-`, `?`, `:` or quote). */
const PLAIN_FIRST = /^[A-Za-z0-9_./~$^(+=]/;
/** Nesting this reader takes; js-yaml refuses 100 levels (its maxDepth), values files need a handful. */
const MAX_DEPTH = 40;
/** Tags of the core schema a plain scalar may resolve to here (not timestamps or merge keys). */
const PLAIN_TAGS = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);

function plainValue(text: string): unknown {
  if (!PLAIN_FIRST.test(text) || text.includes('#') || text.includes(': ') || text.endsWith(':')) outside();
  const { value, tag } = CORE_SCHEMA.resolveImplicitScalarTag(text);
  if (!PLAIN_TAGS.has(tag.tagName)) outside();
  return value;
}

/** A key as js-yaml stores it: only keys that resolve to the string they spell. */
function keyOf(text: string): string {
  if (text === '__proto__' || plainValue(text) !== text) outside();
  return text;
}

/** The end of the quoted scalar opening at `at`, and its value. */
function quoted(s: string, at: number): [string, number] {
  const q = s[at]!;
  let out = '';
  let i = at + 1;
  for (;;) {
    const j = s.indexOf(q, i);
    if (j < 0) outside();
    const part = s.slice(i, j);
    if (q === '"' && part.includes('\\')) outside();
    out += part;
    if (q === "'" && s[j + 1] === "'") {
      out += "'";
      i = j + 2;
      continue;
    }
    return [out, j + 1];
  }
}

function skipSpaces(s: string, at: number): number {
  let i = at;
  while (s.charCodeAt(i) === 0x20) i++;
  return i;
}

/** Nothing but blanks and an optional comment (after a blank) from `at` on. */
function restIsEmpty(s: string, at: number): void {
  const i = skipSpaces(s, at);
  if (i < s.length && !(s[i] === '#' && i > at)) outside();
}

/** One node of a flow collection from `at`: its value and where it ends. */
function flowNode(s: string, at: number, depth: number): [unknown, number] {
  const c = s[at];
  if (c === '{' || c === '[') return flowCollection(s, at, depth + 1);
  if (c === '"' || c === "'") return quoted(s, at);
  let end = at;
  while (end < s.length && !',[]{}'.includes(s[end]!) && !(s[end] === ':' && (s[end + 1] === ' ' || s[end + 1] === undefined))) end++;
  const text = s.slice(at, end).trimEnd();
  if (text === '') outside();
  return [plainValue(text), end];
}

function flowCollection(s: string, at: number, depth: number): [unknown, number] {
  if (depth > MAX_DEPTH) outside();
  const isMap = s[at] === '{';
  const close = isMap ? '}' : ']';
  const map: Record<string, unknown> = {};
  const list: unknown[] = [];
  let i = skipSpaces(s, at + 1);
  if (s[i] === close) return [isMap ? map : list, i + 1];
  // The pairs flowNode returns are read by index: destructuring them runs the iterator protocol
  // (an allocation per step) in code that is not optimised yet, and every service line is parsed here.
  for (;;) {
    if (isMap) {
      const keyNode = flowNode(s, i, depth);
      const k = keyNode[0];
      const afterKey = keyNode[1];
      if (typeof k !== 'string' || s[afterKey] !== ':' || s[afterKey + 1] !== ' ' || Object.hasOwn(map, k)) outside();
      const key = keyOf(k as string);
      const valueNode = flowNode(s, skipSpaces(s, afterKey + 1), depth);
      map[key] = valueNode[0];
      i = skipSpaces(s, valueNode[1]);
    } else {
      const item = flowNode(s, i, depth);
      list.push(item[0]);
      i = skipSpaces(s, item[1]);
      if (s[i] === ':') outside(); // a one-pair mapping inside a sequence
    }
    if (s[i] === close) return [isMap ? map : list, i + 1];
    if (s[i] !== ',') outside();
    // A trailing or doubled comma leaves an empty node, which flowNode refuses.
    i = skipSpaces(s, i + 1);
  }
}

/** A value written on its key's or dash's line, at nesting `depth`. */
function inlineValue(s: string, depth: number): unknown {
  const c = s[0];
  if (c === '{' || c === '[' || c === '"' || c === "'") {
    const node = c === '{' || c === '[' ? flowCollection(s, 0, depth) : quoted(s, 0);
    restIsEmpty(s, node[1]);
    return node[0];
  }
  const hash = s.indexOf(' #');
  return plainValue((hash >= 0 ? s.slice(0, hash) : s).trimEnd());
}

/** Whether a key's rest of line holds no value: nothing, or a comment (`key: # note`). */
function emptyOrComment(s: string | undefined): boolean {
  return s === undefined || s === '' || s[0] === '#';
}

class Reader {
  i = 0;
  private depth = 0;
  constructor(private readonly lines: readonly Line[]) {}

  private get next(): Line | undefined {
    return this.lines[this.i];
  }

  /** The block node whose lines start at the current line, at its indentation. */
  node(): unknown {
    const line = this.next!;
    return line.text.startsWith('- ') ? this.sequence(line.indent) : this.mapping(line.indent, line.text);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) outside();
  }

  /** A block sequence whose dashes stand at `indent`. */
  private sequence(indent: number): unknown[] {
    this.enter();
    const out: unknown[] = [];
    // A line deeper than the dashes after a one-line item (a multi-line scalar) ends the loop
    // and is refused below.
    while (this.next && this.next.indent === indent && this.next.text.startsWith('- ')) {
      const item = this.next.text.slice(2);
      if (item === '' || item[0] === ' ' || item[0] === '-' || item[0] === '#') outside();
      if (KEY.test(item)) {
        out.push(this.mapping(indent + 2, item));
      } else {
        out.push(inlineValue(item, this.depth + 1));
        this.i++;
      }
    }
    if (this.next && this.next.indent > indent) outside();
    this.depth--;
    return out;
  }

  /** A block mapping whose keys stand at `indent`; its first line's text is `first`. */
  private mapping(indent: number, first: string): Record<string, unknown> {
    this.enter();
    const out: Record<string, unknown> = {};
    let text = first;
    for (;;) {
      const m = KEY.exec(text);
      if (!m) outside();
      const key = keyOf(m![1]!);
      if (Object.hasOwn(out, key)) outside(); // js-yaml refuses a duplicate key with its position
      this.i++;
      const rest = m![2];
      let value: unknown = null;
      if (!emptyOrComment(rest)) {
        value = inlineValue(rest!, this.depth + 1);
        if (this.next && this.next.indent > indent) outside();
      } else if (this.next && this.next.indent > indent) {
        value = this.node();
      } else if (this.next && this.next.indent === indent && this.next.text.startsWith('- ')) {
        value = this.sequence(indent);
      }
      out[key] = value;
      const line = this.next;
      if (!line || line.indent < indent) {
        this.depth--;
        return out;
      }
      if (line.indent > indent || line.text.startsWith('- ')) outside();
      text = line.text;
    }
  }
}

/** The document `text` holds, when it is in the subset; undefined otherwise. */
export function fastYamlDocument(text: string): FastDocument | undefined {
  const lines: Line[] = [];
  // Line by line, so that a manifest stream (`---` first) is handed on at its first line.
  for (let start = 0, no = 1; start < text.length; no++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const l = text.slice(start, end);
    start = end + 1;
    const body = l.trimStart();
    if (body === '' || body[0] === '#') continue;
    // Directives, document markers and anything that is not a key or a dash.
    if (!/^[A-Za-z0-9_-]/.test(body) || (body[0] === '-' && body[1] !== ' ')) return undefined;
    lines.push({ no, indent: l.length - body.length, text: body.trimEnd() });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return undefined;
  // Characters outside printable ASCII (tabs, CR, a BOM, non-ASCII letters) go to js-yaml.
  if (/[^\x20-\x7e\n]/.test(text)) return undefined;
  try {
    const reader = new Reader(lines);
    const value = reader.node();
    if (reader.i !== lines.length) return undefined;
    return { value, line: lines[0]!.no };
  } catch (err) {
    if (err instanceof OutsideSubset) return undefined;
    throw err;
  }
}
