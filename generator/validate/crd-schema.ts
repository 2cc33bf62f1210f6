import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadAll } from 'js-yaml';

type Schema = Record<string, unknown>;

/**
 * Makes a CRD openAPIV3Schema as strict as `kubectl --validate=strict`: objects with declared
 * properties reject unknown fields (unless x-kubernetes-preserve-unknown-fields), int-or-string
 * and nullable are spelled the JSON Schema way. CEL rules (x-kubernetes-validations) are not run.
 */
export function strictSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strictSchema);
  if (!s || typeof s !== 'object') return s;
  const src = s as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-') || k === 'nullable' || k === 'format') continue;
    out[k] = k === 'properties' || k === 'patternProperties' || k === 'definitions'
      ? Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, strictSchema(pv)]))
      : strictSchema(v);
  }
  if (src['x-kubernetes-int-or-string']) {
    delete out.type;
    return { ...out, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  if (src.properties && !src['x-kubernetes-preserve-unknown-fields'] && src.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (src.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

interface CrdDoc {
  kind?: string;
  spec?: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }>;
  };
}

/** Validators for every version of every CRD in the given YAML files, keyed `group/version/Kind`. */
export class CrdValidators {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly schemas = new Map<string, Schema>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(files: readonly string[]) {
    for (const file of files) {
      for (const doc of loadAll(readFileSync(file, 'utf8')) as CrdDoc[]) {
        if (doc?.kind !== 'CustomResourceDefinition' || !doc.spec) continue;
        for (const v of doc.spec.versions) {
          const schema = v.schema?.openAPIV3Schema;
          if (schema) this.schemas.set(`${doc.spec.group}/${v.name}/${doc.spec.names.kind}`, schema);
        }
      }
    }
  }

  has(apiVersion: string, kind: string): boolean {
    return this.schemas.has(`${apiVersion}/${kind}`);
  }

  /** Problems with `obj` ([] when valid); throws if no CRD defines its apiVersion/kind. */
  validate(obj: { apiVersion: string; kind: string }): string[] {
    const key = `${obj.apiVersion}/${obj.kind}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      const schema = this.schemas.get(key);
      if (!schema) throw new Error(`no CRD schema for ${key}`);
      // The API server supplies apiVersion/kind/metadata itself; CRDs often leave them undeclared.
      const root = strictSchema(schema) as Schema;
      root.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(root.properties as Schema) };
      fn = this.ajv.compile(root);
      this.compiled.set(key, fn);
    }
    if (fn(obj)) return [];
    return (fn.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"` : '';
      return `${e.instancePath || '/'} ${e.message ?? 'invalid'}${extra}`;
    });
  }
}

/** `<repo>/../shared/schemas`, where CI places the upstream CRD schemas (override: ZONAL_SCHEMAS_DIR). */
export function sharedSchemasDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZONAL_SCHEMAS_DIR) return resolve(env.ZONAL_SCHEMAS_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, '..', 'shared', 'schemas');
}

/**
 * The Istio CRDs of a schema folder under shared/schemas (`istio-1.31`, `istio-1.30.3`); the Istio
 * core's version table names the folder of each minor (IstioBehaviour.crdSchemaDir).
 */
export function istioCrdFile(env?: NodeJS.ProcessEnv, schemaDir = 'istio-1.30.3'): string {
  return join(sharedSchemasDir(env), schemaDir, 'crd-all.gen.yaml');
}

export function argoCdCrdFiles(env?: NodeJS.ProcessEnv): string[] {
  const dir = join(sharedSchemasDir(env), 'argo-cd-v3.5.1');
  return ['application-crd.yaml', 'applicationset-crd.yaml', 'appproject-crd.yaml'].map((f) => join(dir, f));
}
