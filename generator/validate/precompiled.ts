/**
 * Validators compiled at build time (ajv standalone code, scripts/tools/precompile-validators.mjs)
 * instead of on every run: compiling the values schema and the Istio CRD schemas was most of
 * `zonal generate`'s start-up. Each precompiled module records the hash of the schema it was made
 * from; a module whose hash does not match (the schema changed, no rebuild) or that is missing
 * (tests run the TypeScript sources) is ignored and the caller compiles at run time, as before.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { crc32 } from 'node:zlib';
import { distFile, runsFromDist } from '../package-root.js';
import { bundledPrecompiled } from './bundled-precompiled.js';
import type { Ajv, Options, ValidateFunction } from 'ajv';

/** Where the build writes the precompiled modules: dist/generator/validate/precompiled/. */
export const PRECOMPILED_DIR = `${distFile('validate', 'precompiled')}/`;
/** Build products are used by the compiled program only (see runsFromDist). */
const USE_PRECOMPILED = runsFromDist(import.meta.url);

/**
 * What a precompiled module is keyed by: the CRC-32 and UTF-8 length of the text it was compiled
 * from (as a string, or as the file's bytes: the same key). It tells a changed schema or template
 * from the one the build saw, which is all it is for: whoever can write the schemas folder decides
 * what validation means anyway. A checksum, not sha256: loading node:crypto was some 7 ms of every
 * run, and the Istio CRDs (0.9 MB) are checked as bytes, without decoding them.
 */
export function sourceHash(source: string | Uint8Array): string {
  const bytes = typeof source === 'string' ? Buffer.byteLength(source) : source.length;
  return `${crc32(source).toString(16).padStart(8, '0')}${bytes.toString(16)}`;
}

const load = createRequire(import.meta.url);

/** The precompiled module in `file`: from the bundle when the build put it there, else the file; undefined if neither. */
function loadPrecompiled(file: string): unknown {
  const name = basename(file);
  if (Object.hasOwn(bundledPrecompiled, name)) return bundledPrecompiled[name]!();
  return existsSync(file) ? load(file) : undefined;
}

/** The values schema's validator, when the build made it from this very schema. */
export function precompiledValidator(name: string, schemaText: string): ValidateFunction | undefined {
  const mod = USE_PRECOMPILED ? loadPrecompiled(`${PRECOMPILED_DIR}${name}.cjs`) as (ValidateFunction & { sourceHash?: string }) | undefined : undefined;
  return mod?.sourceHash === sourceHash(schemaText) ? mod : undefined;
}

/** Validators of one CRD file, keyed `group/version/Kind`, with every key the file defines. */
export interface PrecompiledCrds {
  readonly keys: readonly string[];
  readonly validators: Readonly<Record<string, ValidateFunction>>;
}

/** The precompiled validators of a CRD file with these contents, if the build compiled it. */
export function precompiledCrds(crdFile: Uint8Array): PrecompiledCrds | undefined {
  if (!USE_PRECOMPILED) return undefined;
  return loadPrecompiled(`${PRECOMPILED_DIR}crd-${sourceHash(crdFile)}.cjs`) as PrecompiledCrds | undefined;
}

/** Handlebars template specs the build precompiled, keyed by the hash of their source. */
let templateSpecs: Readonly<Record<string, unknown>> | undefined;

/** The precompiled spec of a Handlebars template with this source (and the chart's options), if the build made it. */
export function precompiledTemplate(source: string): unknown {
  if (!USE_PRECOMPILED) return undefined;
  if (templateSpecs === undefined) {
    templateSpecs = (loadPrecompiled(`${PRECOMPILED_DIR}templates.cjs`) ?? {}) as Record<string, unknown>;
  }
  return templateSpecs[sourceHash(source)];
}

/**
 * A new ajv instance, loading ajv on first use only: with precompiled validators most runs never
 * compile a schema, so they do not pay for loading the compiler either.
 */
export function newAjv(options: Options): Ajv {
  const { Ajv: AjvClass } = load('ajv') as { Ajv: new (o: Options) => Ajv };
  return new AjvClass(options);
}
