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

/** `file:line:col: what is wrong (how to fix)`, the one line per problem users see. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.position.line}:${p.position.column}: ${p.message}${p.fix ? ` (${p.fix})` : ''}`;
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
