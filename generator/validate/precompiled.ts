/**
 * Validators compiled at build time (ajv standalone code, scripts/tools/precompile-validators.mjs)
 * instead of on every run: compiling the values schema and the Istio CRD schemas was most of
 * `zonal generate`'s start-up. Each precompiled module records the hash of the schema it was made
 * from; a module whose hash does not match (the schema changed, no rebuild) or that is missing
 * (tests run the TypeScript sources) is ignored and the caller compiles at run time, as before.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { distFile, runsFromDist } from '../package-root.js';
import { bundledPrecompiled } from './bundled-precompiled.js';
import type { Ajv, Options, ValidateFunction } from 'ajv';

/** Where the build writes the precompiled modules: dist/generator/validate/precompiled/. */
export const PRECOMPILED_DIR = `${distFile('validate', 'precompiled')}/`;
/** Build products are used by the compiled program only (see runsFromDist). */
const USE_PRECOMPILED = runsFromDist(import.meta.url);

/**
 * What a precompiled module is keyed by: a 32-bit FNV-1a hash and the length of the UTF-8 bytes of
 * the text it was compiled from (given as a string or as the file's bytes: the same key). It tells
 * a changed schema or template from the one the build saw, which is all it is for: whoever can
 * write the schemas folder decides what validation means anyway. Computed here, byte by byte (the
 * same on every platform), for the few kilobytes of the values schema and the chart templates;
 * node:crypto's sha256 had cost some 7 ms of every run and node:zlib's CRC-32 some 1 ms, for
 * loading the module alone. The Istio CRD files (0.9 MB) are recognised by their stamp instead
 * (precompiledCrds) and hashed only when they changed since the build.
 */
export function sourceHash(source: string | Uint8Array): string {
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return `${(h >>> 0).toString(16).padStart(8, '0')}${bytes.length.toString(16)}`;
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

/** The file the build lists the CRD files it compiled in (CrdStamp). */
export const CRD_STAMPS = 'crd-stamps.cjs';

/** A file's inode, size and modification time (nanoseconds), as decimal strings. */
export interface FileStamp {
  readonly ino: string;
  readonly size: string;
  readonly mtimeNs: string;
}

/** The stamp of a file now (statSync with bigint: nanosecond times, inodes beyond 2^53). */
export function fileStamp(file: string): FileStamp {
  const st = statSync(file, { bigint: true });
  return { ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs) };
}

/**
 * A CRD file as the build found it (the build lists them in CRD_STAMPS, next to the modules) and
 * the module it compiled from it. A file with the same inode, size and modification time is that
 * file, as `make` and `rsync` assume, so a run finds its validators without reading and hashing
 * 0.9 MB of YAML. A rewritten, replaced or copied file has another stamp and is recognised by its
 * contents.
 */
export interface CrdStamp extends FileStamp {
  /** File name of the precompiled module: `crd-<sourceHash of the file>.cjs`. */
  readonly module: string;
}

/** The precompiled validators of this CRD file, if the build compiled a file with its contents. */
export function precompiledCrds(file: string): PrecompiledCrds | undefined {
  if (!USE_PRECOMPILED) return undefined;
  const now = fileStamp(file);
  const stamps = (loadPrecompiled(`${PRECOMPILED_DIR}${CRD_STAMPS}`) ?? []) as readonly CrdStamp[];
  const same = stamps.find((s) => s.ino === now.ino && s.size === now.size && s.mtimeNs === now.mtimeNs);
  return loadPrecompiled(`${PRECOMPILED_DIR}${same?.module ?? `crd-${sourceHash(readFileSync(file))}.cjs`}`) as PrecompiledCrds | undefined;
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
