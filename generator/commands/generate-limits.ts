import type { FileTree } from '../chart/chart-files.js';
import { formatProblem } from '../model/problems.js';
import type { TopologyRouting } from '../model/types.js';
import { pointerSegment, type PositionedDocument } from '../yaml/source-map.js';

/** Helm refuses to load a chart file larger than this (MaxDecompressedFileSize, 5 MiB). */
export const HELM_MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The part of the values file a generated file is made from (a JSON pointer; "" = all of it). */
function sourceOf(path: string, model: TopologyRouting): string {
  const svc = /\/templates\/services\/(.+)\.yaml$/.exec(path)?.[1];
  if (svc !== undefined) {
    const i = model.services.findIndex((s) => s.name === svc);
    if (i >= 0) return `/services/${i}`;
  }
  const host = /\/templates\/external-hosts\/(.+)\.yaml$/.exec(path)?.[1];
  if (host !== undefined) {
    const i = model.externalHosts.findIndex((h) => h.name === host);
    if (i >= 0) return `/externalHosts/${i}`;
  }
  const env = /\/values-(.+)\.yaml$/.exec(path)?.[1];
  if (env !== undefined) {
    const i = model.environments.findIndex((e) => e.name === env);
    if (i >= 0) return `/environments/${i}/values`;
  }
  return '';
}

/** The longest string (value or key) below `pointer`, with its pointer. */
function longestString(root: unknown, pointer: string): { pointer: string; length: number } | undefined {
  let node: unknown = root;
  for (const seg of pointer.split('/').slice(1)) node = (node as Record<string, unknown>)?.[seg];
  let best: { pointer: string; length: number } | undefined;
  const seen = new Set<object>();
  const walk = (v: unknown, p: string) => {
    if (typeof v === 'string') {
      if (!best || v.length > best.length) best = { pointer: p, length: v.length };
    } else if (v && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      for (const [k, c] of Object.entries(v)) {
        if (!Array.isArray(v) && (!best || k.length > best.length)) best = { pointer: `${p}/${pointerSegment(k)}`, length: k.length };
        walk(c, `${p}/${pointerSegment(k)}`);
      }
    }
  };
  walk(node, pointer);
  return best;
}

/** Files that list every service and host of a chart: they grow with the chart, not with one value. */
const WHOLE_CHART = /(^|\/)(values\.yaml|values\.schema\.json|README\.md|values-[^/]+\.yaml|templates\/NOTES\.txt|templates\/namespaces\.yaml)$/;

/** The problem for a file that is too big because its chart holds too much. */
function chartTooBig(path: string, bytes: number, model: TopologyRouting, doc: PositionedDocument | undefined, file: string): string {
  const split = model.chart.split === 'namespace';
  const at = split ? '/chart/split' : (doc?.valueAt('/chart') ? '/chart' : '/metadata/name');
  const position = doc ? (doc.valueAt(at) ?? doc.nearest(at)) : { line: 1, column: 1 };
  return formatProblem({
    file, position,
    message: `${path} would be ${(bytes / 1024 / 1024).toFixed(1)} MiB, over Helm's 5 MiB limit per chart file ` +
      (split ? '(one namespace holds too much for one chart)' : `(one chart of ${model.services.length} services and ${model.externalHosts.length} external hosts)`),
    fix: split
      ? 'spread the services of that namespace over more namespaces (each namespace is its own chart); nothing was written'
      : 'set chart.split: namespace (one chart per namespace, charts/<name>-<namespace>/, each its own Argo CD Application); nothing was written',
  });
}

/**
 * One problem per generated file over Helm's per-file limit. A file that lists the whole chart
 * (values.yaml, the schema, README.md) asks for `chart.split: namespace`; any other is placed at
 * the longest string of the part of the values file it is made from (that string is what to shorten).
 */
export function oversizeProblems(
  dirs: Readonly<Record<string, FileTree>>, model: TopologyRouting, doc: PositionedDocument | undefined, file: string,
): string[] {
  const problems: string[] = [];
  for (const [dir, files] of Object.entries(dirs)) {
    for (const [rel, content] of Object.entries(files)) {
      if (content.length <= HELM_MAX_FILE_BYTES / 4) continue; // cannot be over the limit in UTF-8
      const bytes = Buffer.byteLength(content, 'utf8');
      if (bytes <= HELM_MAX_FILE_BYTES) continue;
      const path = `${dir}/${rel}`;
      const from = sourceOf(path, model);
      if (from === '' && WHOLE_CHART.test(path)) {
        problems.push(chartTooBig(path, bytes, model, doc, file));
        continue;
      }
      const longest = doc ? longestString(doc.value, from) : undefined;
      const at = longest ? longest.pointer : from;
      const position = doc ? (doc.valueAt(at) ?? doc.nearest(at)) : { line: 1, column: 1 };
      problems.push(formatProblem({
        file, position,
        message: `${path} would be ${(bytes / 1024 / 1024).toFixed(1)} MiB, over Helm's 5 MiB limit per chart file` +
          (longest ? ` (its longest input string, here, has ${longest.length} characters)` : ''),
        fix: 'shorten this value or split the workload; nothing was written',
      }));
    }
  }
  return problems;
}
