import type { LocatedObject } from '../k8s/manifest.js';
import { ruleInfo } from './registry.js';
import type { Finding, RawFinding } from './types.js';

/** JSON pointer of the object inside its document: "" for a plain document, `/items/<i>` inside a List. */
function basePointer(o: LocatedObject): string {
  const items = (o.doc.value as { items?: unknown[] } | null)?.items;
  if (o.doc.value === o.object || !Array.isArray(items)) return '';
  const i = items.indexOf(o.object);
  return i >= 0 ? `/items/${i}` : '';
}

/** The line a finding points at: its key when present, else the nearest located parent, else the object. */
export function lineOf(o: LocatedObject, pointer: string): number {
  if (pointer === '') return o.line;
  const p = `${basePointer(o)}${pointer}`;
  return (o.doc.keyAt(p) ?? o.doc.nearest(p)).line;
}

/** ` (file:line)` naming where an object is written, or '' for objects rendered in memory. */
export function sourceOf(o: LocatedObject): string {
  return o.file === RENDERED ? '' : ` (${o.file}:${o.line})`;
}

/** File name of objects rendered from a values model (they have no source text). */
export const RENDERED = '<rendered>';

export function place(raw: RawFinding): Finding {
  const o = raw.target;
  return {
    code: raw.code,
    severity: raw.severity ?? ruleInfo(raw.code).severity,
    message: raw.message,
    file: o.file,
    line: lineOf(o, raw.pointer),
    kind: o.object.kind,
    name: o.object.metadata.name,
    namespace: o.object.metadata.namespace ?? '',
    ...(raw.istio ? { istio: raw.istio } : {}),
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Stable order: file, line, severity, code, message. Identical findings (same place, same text) collapse. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.code}\0${f.message}\0${f.kind}/${f.namespace}/${f.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) =>
    a.file.localeCompare(b.file) || a.line - b.line || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}
