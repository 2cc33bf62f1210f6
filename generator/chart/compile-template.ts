import Handlebars from 'handlebars';
import { precompiledTemplate } from '../validate/precompiled.js';

/** How the chart's text templates compile: data is inserted as is (Helm, not HTML, reads it). */
export const CHART_TEMPLATE_OPTIONS: CompileOptions = { noEscape: true, strict: false };

/**
 * A chart text template (text-templates.ts): the spec the build precompiled from this very source
 * when there is one (scripts/tools/precompile-validators.mjs; compiling them was a tenth of a small
 * `zonal generate`), else compiled now. Both give the same function.
 */
export function chartTemplate(source: string): HandlebarsTemplateDelegate {
  const spec = precompiledTemplate(source);
  return spec ? Handlebars.template(spec as TemplateSpecification) : Handlebars.compile(source, CHART_TEMPLATE_OPTIONS);
}
