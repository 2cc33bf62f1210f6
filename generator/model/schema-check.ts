import type { Ajv, ErrorObject } from 'ajv';
import { newAjv } from '../validate/precompiled.js';
import type { PositionedDocument } from '../yaml/source-map.js';
import { InputError } from '../errors.js';
import { formatProblem, ProblemCollector } from './problems.js';
import { reportSchemaError, type FixHints } from './schema-errors.js';

/**
 * One way to check a user file against its JSON Schema (values, scenario, prices): ajv with every
 * error (not just the first), strict schemas and strict numbers (NaN and Infinity are not numbers),
 * each error located at `file:line:col` through the YAML source map, with a fix from `hints`.
 */
export class SchemaCheck {
  private compiled: ReturnType<Ajv['compile']> | undefined;
  constructor(private readonly schema: object, private readonly hints?: FixHints) {}

  /** The ajv errors for data (compiled on first use: start-up stays cheap for commands that skip it). */
  errors(data: unknown): ErrorObject[] {
    this.compiled ??= newAjv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(this.schema);
    return this.compiled(data) ? [] : this.compiled.errors ?? [];
  }

  /** Adds one located problem per schema error to `out`; returns whether the document is valid. */
  report(doc: PositionedDocument, out: ProblemCollector): boolean {
    const errors = this.errors(doc.value);
    for (const e of errors) reportSchemaError(e, doc.value, out, this.hints);
    return errors.length === 0;
  }

  /** Throws InputError (one `file:line:col: what (fix)` line per problem) unless the document is valid. */
  check(doc: PositionedDocument, file: string): void {
    const out = new ProblemCollector(file, doc);
    if (!this.report(doc, out)) throw new InputError(out.problems.map(formatProblem));
  }
}
