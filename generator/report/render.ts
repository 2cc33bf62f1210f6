/** Renders the report view into one self-contained HTML page with Handlebars. */
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { HEATMAP_PARTIAL, REPORT_TEMPLATE } from './template.js';
import { buildView, type ReportInput } from './view.js';

/** JSON that is safe inside <script>: no `<`, `>`, `&` or line separators left raw. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

let compiled: Handlebars.TemplateDelegate | undefined;

function template(): Handlebars.TemplateDelegate {
  if (compiled) return compiled;
  // Loaded here, not imported: the compiler (with source-map) would otherwise be bundled into the
  // executable and read by every command, where only `zonal report` compiles a template.
  const hb = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('add', (a: number, b: number) => Math.round((a + b) * 100) / 100);
  hb.registerHelper('half', (a: number) => a / 2);
  hb.registerHelper('json', (v: unknown) => new hb.SafeString(scriptJson(v)));
  hb.registerPartial('heatmap', HEATMAP_PARTIAL);
  compiled = hb.compile(REPORT_TEMPLATE, { strict: false, noEscape: false });
  return compiled;
}

export function renderReport(input: ReportInput): string {
  return template()(buildView(input));
}
