import type { PositionedDocument, SourcePosition } from '../yaml/source-map.js';

/** One thing wrong with the input, located in its file. */
export interface Problem {
  readonly file: string;
  readonly position: SourcePosition;
  /** What is wrong, naming the offending key. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Characters that would end a message line (or a terminal line): shown as escapes instead. */
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]/g;

/** Keeps one problem on one line, however the offending value was written. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/**
 * `text` with every control character (C0 but tab, DEL, C1) and line break written as an escape,
 * for text read from a file and echoed to a terminal (a flow-log line that holds `\r` or an ANSI
 * sequence must not overwrite or recolour the message line).
 */
export function escapeControls(text: string): string {
  return oneLine(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A user's string as a message shows it: double-quoted, with line breaks, control characters and
 * quotes escaped, and cut after 80 characters (a 5 MB value is named, not printed).
 */
export function quoteForMessage(s: string): string {
  const cut = s.length > 80 ? `${s.slice(0, 77)}...` : s;
  return oneLine(JSON.stringify(cut).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** `file:line:col: what is wrong (how to fix)`, the one line per problem users see. */
export function formatProblem(p: Problem): string {
  return oneLine(`${p.file}:${p.position.line}:${p.position.column}: ${p.message}${p.fix ? ` (${p.fix})` : ''}`);
}

/** Renders a JSON pointer as the dotted path a person reads: /services/0/port -> services[0].port. */
export function displayPath(pointer: string): string {
  if (pointer === '') return 'the top level';
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^[0-9]+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

/** Collects problems against one positioned document. */
export class ProblemCollector {
  private readonly items: Problem[] = [];
  constructor(readonly file: string, readonly doc: PositionedDocument) {}

  /** Reports at the value of `pointer` (or its nearest located parent). */
  atValue(pointer: string, message: string, fix: string): void {
    this.items.push({ file: this.file, position: this.doc.valueAt(pointer) ?? this.doc.nearest(pointer), message, fix });
  }

  /** Reports at the key that holds `pointer` (for unknown keys and duplicate names). */
  atKey(pointer: string, message: string, fix: string): void {
    this.items.push({ file: this.file, position: this.doc.keyAt(pointer) ?? this.doc.nearest(pointer), message, fix });
  }

  get problems(): readonly Problem[] {
    return [...this.items].sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
  }
}
