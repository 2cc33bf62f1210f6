import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import runtime from 'handlebars/runtime.js';
import { precompiledTemplate } from '../validate/precompiled.js';

/** Handlebars without its compiler (its runtime.d.ts declares no exports of its own). */
const HandlebarsRuntime = runtime as unknown as typeof Handlebars;

/** How the chart's text templates compile: data is inserted as is (Helm, not HTML, reads it). */
export const CHART_TEMPLATE_OPTIONS: CompileOptions = { noEscape: true, strict: false };

/**
 * A chart text template (text-templates.ts): the spec the build precompiled from this very source
 * when there is one (scripts/tools/precompile-validators.mjs; compiling them was a tenth of a small
 * `zonal generate`), run by Handlebars' runtime alone; else compiled now, with the compiler
 * loaded only then (its parser is most of Handlebars' start-up). Both give the same function.
 */
export function chartTemplate(source: string): HandlebarsTemplateDelegate {
  const spec = precompiledTemplate(source);
  if (spec) return HandlebarsRuntime.template(spec as TemplateSpecification);
  const compiler = createRequire(import.meta.url)('handlebars') as typeof Handlebars;
  return compiler.compile(source, CHART_TEMPLATE_OPTIONS);
}
