import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import { loadAll } from 'js-yaml';
import { packageRoot } from '../package-root.js';
import { newAjv, precompiledCrds } from './precompiled.js';

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
    // A description changes nothing a validator checks; kept, it was a tenth of the compiled
    // module (ajv copies the schema it reads enums and property lists from into the code).
    if (k.startsWith('x-kubernetes-') || k === 'nullable' || k === 'format' || k === 'description') continue;
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

/**
 * The ajv options CRD schemas are checked with (at run time and by the build's precompilation).
 * `inlineRefs: false` keeps each shared subschema (sharedSubschemas) one function of its own.
 */
export const CRD_AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false, inlineRefs: false } as const;

/** Validators the build precompiles: the Istio kinds and version zonal generate renders (others compile on use). */
export const PRECOMPILED_KEYS: readonly string[] = ['networking.istio.io/v1/DestinationRule', 'networking.istio.io/v1/ServiceEntry'];

/** The openAPIV3Schema of every CRD version in a YAML text, keyed `group/version/Kind`. */
export function crdSchemasOf(text: string): Map<string, Schema> {
  const schemas = new Map<string, Schema>();
  for (const doc of loadAll(text) as CrdDoc[]) {
    if (doc?.kind !== 'CustomResourceDefinition' || !doc.spec) continue;
    for (const v of doc.spec.versions) {
      const schema = v.schema?.openAPIV3Schema;
      if (schema) schemas.set(`${doc.spec.group}/${v.name}/${doc.spec.names.kind}`, schema);
    }
  }
  return schemas;
}

/** Keywords whose value is one subschema, and those whose value is a list or a map of them. */
const SUBSCHEMA = ['items', 'additionalProperties', 'not'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
/** Subschemas shorter than this (as JSON) stay where they are: a call would cost more than it saves. */
const SHARED_MIN_LENGTH = 200;

/**
 * The schema with every subschema that occurs more than once (the same Go type under several
 * fields: a DestinationRule's traffic policy sits under spec, under each subset and, mostly, under
 * each port's settings) moved to `definitions` and referenced. It accepts and rejects exactly what
 * the schema does, with the same instance paths and messages; ajv then compiles each shared
 * subschema once instead of once per place (the DestinationRule validator shrank from 0.4 MB of
 * code to a third, and every run deserialises that code).
 */
export function sharedSubschemas(schema: Schema): Schema {
  const text = new Map<object, string>();
  const count = new Map<string, number>();
  const measure = (s: Schema): Schema => {
    withSubschemas(s, measure);
    const t = JSON.stringify(s);
    text.set(s, t);
    count.set(t, (count.get(t) ?? 0) + 1);
    return s;
  };
  measure(schema);
  const names = new Map<string, string>();
  const definitions: Schema = {};
  const rewrite = (s: Schema): Schema => {
    const t = text.get(s)!;
    if (t.length < SHARED_MIN_LENGTH || count.get(t)! < 2) return withSubschemas(s, rewrite);
    let name = names.get(t);
    if (name === undefined) {
      name = `shared${names.size}`;
      names.set(t, name);
      definitions[name] = withSubschemas(s, rewrite);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const out = withSubschemas(schema, rewrite);
  return names.size ? { ...out, definitions: { ...(out.definitions as Schema | undefined), ...definitions } } : out;
}

/** A copy of `s` with each of its direct subschemas replaced by `f` of it. */
function withSubschemas(s: Schema, f: (child: Schema) => Schema): Schema {
  const out: Schema = { ...s };
  for (const k of SUBSCHEMA) if (s[k] && typeof s[k] === 'object' && !Array.isArray(s[k])) out[k] = f(s[k] as Schema);
  if (Array.isArray(s.items)) out.items = (s.items as Schema[]).map(f);
  for (const k of SUBSCHEMA_LISTS) if (Array.isArray(s[k])) out[k] = (s[k] as Schema[]).map(f);
  for (const k of SUBSCHEMA_MAPS) {
    if (s[k] && typeof s[k] === 'object') out[k] = Object.fromEntries(Object.entries(s[k] as Schema).map(([n, c]) => [n, f(c as Schema)]));
  }
  return out;
}

/** A CRD schema made strict, with apiVersion/kind/metadata declared. */
export function strictRootSchema(schema: Schema): Schema {
  // The API server supplies apiVersion/kind/metadata itself; CRDs often leave them undeclared.
  const root = strictSchema(schema) as Schema;
  root.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(root.properties as Schema) };
  return root;
}

/** The schema an object is validated against: strictRootSchema with each repeated subschema shared. */
export function crdRootSchema(schema: Schema): Schema {
  return sharedSubschemas(strictRootSchema(schema));
}

/**
 * Validators for every version of every CRD in the given YAML files, keyed `group/version/Kind`.
 * Validators the build precompiled for a file with exactly this text are used as they are; the
 * rest is compiled on first use (and the YAML parsed only then).
 */
export class CrdValidators {
  private ajv: Ajv | undefined;
  private parsed: Map<string, Schema> | undefined;
  private readonly keys = new Set<string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly files: readonly string[]) {
    // Parsing 0.9 MB of YAML is needed only when something must be compiled.
    const pre = files.map((f) => precompiledCrds(f));
    if (pre.every(Boolean)) {
      for (const p of pre) {
        for (const k of p!.keys) this.keys.add(k);
        for (const [k, fn] of Object.entries(p!.validators)) if (!this.compiled.has(k)) this.compiled.set(k, fn);
      }
    } else {
      this.parsed = this.parse(files.map((f) => readFileSync(f, 'utf8')));
      for (const k of this.parsed.keys()) this.keys.add(k);
    }
  }

  private parse(texts: readonly string[]): Map<string, Schema> {
    const all = new Map<string, Schema>();
    for (const t of texts) for (const [k, v] of crdSchemasOf(t)) if (!all.has(k)) all.set(k, v);
    return all;
  }

  has(apiVersion: string, kind: string): boolean {
    return this.keys.has(`${apiVersion}/${kind}`);
  }

  /** Problems with `obj` ([] when valid); throws if no CRD defines its apiVersion/kind. */
  validate(obj: { apiVersion: string; kind: string }): string[] {
    const key = `${obj.apiVersion}/${obj.kind}`;
    let fn = this.compiled.get(key);
    if (!fn) {
      if (!this.keys.has(key)) throw new Error(`no CRD schema for ${key}`);
      this.parsed ??= this.parse(this.files.map((f) => readFileSync(f, 'utf8')));
      this.ajv ??= newAjv(CRD_AJV_OPTIONS);
      fn = this.ajv.compile(crdRootSchema(this.parsed.get(key)!));
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
  return join(packageRoot(), '..', 'shared', 'schemas');
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
