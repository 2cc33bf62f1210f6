import { parseYamlDocuments, type PositionedDocument } from '../yaml/source-map.js';

/** A Kubernetes object as plain JSON (what `helm template` or `kubectl get -o yaml` gives). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A Kubernetes object read from a file, with where it came from. */
export interface LocatedObject {
  readonly object: KubeObject;
  readonly file: string;
  /** 1-based line where the document starts. */
  readonly line: number;
  /** Positions of keys/values inside the document (JSON pointers). */
  readonly doc: PositionedDocument;
}

export function isKubeObject(v: unknown): v is KubeObject {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && !!o.metadata && typeof o.metadata === 'object';
}

/**
 * Reads every Kubernetes object from a multi-document YAML text. `List` kinds are flattened.
 * Documents that are empty or not objects are skipped. Throws YamlSyntaxError on invalid YAML.
 */
export function parseManifests(text: string, file: string): LocatedObject[] {
  const out: LocatedObject[] = [];
  for (const doc of parseYamlDocuments(text, file)) {
    const v = doc.value;
    // kubectl's `kind: List` may come without metadata (hand-trimmed or older clients).
    const list = v as { kind?: unknown; items?: unknown } | null;
    if (list && typeof list === 'object' && typeof list.kind === 'string' && list.kind.endsWith('List') && Array.isArray(list.items)) {
      (list.items as unknown[]).forEach((item, i) => {
        if (isKubeObject(item)) out.push({ object: item, file, line: (doc.valueAt(`/items/${i}`) ?? { line: doc.line }).line, doc });
      });
    } else if (isKubeObject(v)) {
      out.push({ object: v, file, line: doc.line, doc });
    }
  }
  return out;
}

/** An object that comes from no file (rendered in memory): every position is line 1. */
export function unpositioned(object: KubeObject, file: string): LocatedObject {
  const start = { line: 1, column: 1 };
  const doc: PositionedDocument = { value: object, line: 1, valueAt: () => undefined, keyAt: () => undefined, nearest: () => start };
  return { object, file, line: 1, doc };
}

/** `group/version` -> group ("" for core). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** Stable identity of an object: kind/namespace/name (namespace "" for cluster-scoped). */
export function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
