// Build step (npm run build, after tsc): compiles the values schema and the Istio CRD schemas that
// `zonal generate` checks its output against into ajv standalone modules under
// dist/generator/validate/precompiled/, so a run loads validators instead of compiling them.
// Each module is keyed by a hash of its source (generator/validate/precompiled.ts); a stale or
// missing module only means compiling at run time.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';

const dist = fileURLToPath(new URL('../../dist/generator/', import.meta.url));
const { valuesSchema, VALUES_AJV_OPTIONS } = await import(join(dist, 'model', 'values-schema.js'));
const { CRD_STAMPS, PRECOMPILED_DIR, fileStamp, sourceHash } = await import(join(dist, 'validate', 'precompiled.js'));
const { CRD_AJV_OPTIONS, crdRootSchema, crdSchemasOf, sharedSchemasDir, PRECOMPILED_KEYS } = await import(join(dist, 'validate', 'crd-schema.js'));
const standaloneCode = standalone.default ?? standalone;

rmSync(PRECOMPILED_DIR, { recursive: true, force: true });
mkdirSync(PRECOMPILED_DIR, { recursive: true });

const values = new Ajv({ ...VALUES_AJV_OPTIONS, code: { source: true } });
writeFileSync(join(PRECOMPILED_DIR, 'values.cjs'),
  `${standaloneCode(values, values.compile(valuesSchema))}\nmodule.exports.sourceHash = ${JSON.stringify(sourceHash(JSON.stringify(valuesSchema)))};\n`);
let made = 1;

const shared = sharedSchemasDir();
const stamps = [];
for (const dir of existsSync(shared) ? readdirSync(shared).filter((d) => d.startsWith('istio-')).sort() : []) {
  const file = join(shared, dir, 'crd-all.gen.yaml');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  const schemas = crdSchemasOf(text);
  const ajv = new Ajv({ ...CRD_AJV_OPTIONS, code: { source: true } });
  const exported = {};
  const names = {};
  [...schemas.keys()].filter((k) => PRECOMPILED_KEYS.includes(k)).forEach((key, i) => {
    ajv.addSchema(crdRootSchema(schemas.get(key)), key);
    exported[`v${i}`] = key;
    names[key] = `v${i}`;
  });
  const code = standaloneCode(ajv, exported);
  const module = `crd-${sourceHash(text)}.cjs`;
  stamps.push({ ...fileStamp(file), module });
  writeFileSync(join(PRECOMPILED_DIR, module), `${code}
const names = ${JSON.stringify(names)};
module.exports.keys = ${JSON.stringify([...schemas.keys()])};
module.exports.validators = Object.fromEntries(Object.entries(names).map(([k, v]) => [k, module.exports[v]]));
`);
  made++;
}
// The CRD files as they are now, so that a run recognises them without reading them (CrdStamp).
writeFileSync(join(PRECOMPILED_DIR, CRD_STAMPS), `module.exports = ${JSON.stringify(stamps, null, 2)};\n`);

// The chart's Handlebars templates, as template specs keyed by the hash of their source
// (generator/chart/compile-template.ts loads them; a source without a spec compiles at run time).
const Handlebars = (await import('handlebars')).default;
const { CHART_TEMPLATE_OPTIONS } = await import(join(dist, 'chart', 'compile-template.js'));
const texts = await import(join(dist, 'chart', 'text-templates.js'));
const specs = Object.values(texts).filter((t) => typeof t === 'string')
  .map((source) => `  ${JSON.stringify(sourceHash(source))}: ${Handlebars.precompile(source, CHART_TEMPLATE_OPTIONS)},`);
writeFileSync(join(PRECOMPILED_DIR, 'templates.cjs'), `module.exports = {\n${specs.join('\n')}\n};\n`);
made++;
