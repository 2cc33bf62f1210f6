import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { VALUES_AJV_OPTIONS, valuesSchema } from '../../generator/model/values-schema.js';
import { CRD_STAMPS, fileStamp, sourceHash, type CrdStamp } from '../../generator/validate/precompiled.js';
import { CRD_AJV_OPTIONS, crdRootSchema, crdSchemasOf, istioCrdFile } from '../../generator/validate/crd-schema.js';
import { runCli, BUILT_CLI } from '../support/generate.js';
import { REPO } from '../support/helm.js';
import { tempDir } from '../support/temp.js';

/** What npm run build (pretest) writes: ajv standalone validators, so runs do not compile schemas. */
const DIR = join(REPO, 'dist', 'generator', 'validate', 'precompiled');
const load = createRequire(import.meta.url);
const shape = (fn: ValidateFunction, data: unknown) => (fn(data) ? [] : fn.errors!.map((e) => [e.instancePath, e.keyword, e.params]));

const BAD = {
  apiVersion: 'zonal/v1', kind: 'TopologyRouting', metadata: { name: 'Bad_Name' }, chart: { split: 'service' },
  cluster: { name: 'c', region: 'us-west-2', kubernetesVersion: 1.34, zones: [{ name: 'us-west-2a' }] },
  namespaces: [{ name: 'a', extra: true }], services: [{ name: 's', namespace: 'a', port: 70000 }],
};

describe('GIVEN the validators the build precompiles', () => {
  it('THEN the values validator is made from the current schema and reports exactly what ajv compiled now reports', () => {
    const pre = load(join(DIR, 'values.cjs')) as ValidateFunction & { sourceHash: string };
    expect(pre.sourceHash).toBe(sourceHash(JSON.stringify(valuesSchema)));
    const now = new Ajv(VALUES_AJV_OPTIONS).compile(valuesSchema);
    expect(shape(pre, BAD).length).toBeGreaterThan(4);
    expect(shape(pre, BAD)).toEqual(shape(now, BAD));
    const good = { ...BAD, metadata: { name: 'ok' }, chart: { split: 'namespace' }, cluster: { ...BAD.cluster, kubernetesVersion: '1.34', zones: [{ name: 'us-west-2a' }, { name: 'us-west-2b' }] },
      namespaces: [{ name: 'a' }], services: [{ name: 's', namespace: 'a', port: 80, image: { repository: 'r', tag: 't' } }] };
    expect(shape(pre, good)).toEqual([]);
  });

  it('THEN the built CLI (precompiled) and the sources (compiling at run time) give the same messages for a bad values file', async () => {
    const file = join(REPO, 'test', 'fixtures', 'bad-values', '04-unknown-service-key.yaml');
    const built = spawnSync(process.execPath, [BUILT_CLI, 'lint', '--values', file], { cwd: REPO, encoding: 'utf8' });
    const inProcess = await runCli(['lint', '--values', file]);
    expect([built.status, built.stderr]).toEqual([inProcess.code, inProcess.stderr]);
    expect(inProcess.code).toBe(2);
  });

  it('THEN each Istio CRD bundle matches its CRD file and rejects what the run-time validator rejects', () => {
    const file = istioCrdFile(process.env, 'istio-1.31');
    if (!existsSync(file)) return; // the upstream CRDs are not on this machine: nothing was precompiled
    const text = readFileSync(file, 'utf8');
    const bundle = join(DIR, `crd-${sourceHash(text)}.cjs`);
    expect(readdirSync(DIR)).toContain(`crd-${sourceHash(text)}.cjs`);
    const pre = load(bundle) as { keys: string[]; validators: Record<string, ValidateFunction> };
    const schemas = crdSchemasOf(text);
    expect(pre.keys).toEqual([...schemas.keys()]);
    const key = 'networking.istio.io/v1/DestinationRule';
    const now = new Ajv(CRD_AJV_OPTIONS).compile(crdRootSchema(schemas.get(key)!));
    const dr = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'x' },
      spec: { host: 'h', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 'five', bogus: 1 } } } };
    expect(shape(pre.validators[key]!, dr).length).toBeGreaterThan(0);
    expect(shape(pre.validators[key]!, dr)).toEqual(shape(now, dr));
  });

  it('THEN the build lists every Istio CRD file it compiled with its stamp now (inode, size, time) and the module made from its contents', () => {
    const files = ['istio-1.30.3', 'istio-1.31'].map((dir) => istioCrdFile(process.env, dir)).filter((f) => existsSync(f));
    if (files.length === 0) return; // the upstream CRDs are not on this machine: nothing was precompiled
    const stamps = load(join(DIR, CRD_STAMPS)) as CrdStamp[];
    expect(stamps).toEqual(files.map((f) => ({ ...fileStamp(f), module: `crd-${sourceHash(readFileSync(f))}.cjs` })));
    for (const s of stamps) expect(readdirSync(DIR)).toContain(s.module);
  });

  it('WHEN the compiled program looks up a CRD file THEN the stamped file, and a copy of it, find its validators; a changed copy finds none', async () => {
    const file = istioCrdFile(process.env, 'istio-1.31');
    if (!existsSync(file)) return;
    // dist/, not the sources: only the compiled program uses the build's modules (runsFromDist).
    const { precompiledCrds } = await import(join(DIR, '..', 'precompiled.js')) as typeof import('../../generator/validate/precompiled.js');
    const copy = join(tempDir(), 'crd-all.gen.yaml');
    copyFileSync(file, copy);
    expect(fileStamp(copy).ino).not.toBe(fileStamp(file).ino); // found by its contents, not by the stamp
    const changed = join(tempDir(), 'crd-all.gen.yaml');
    writeFileSync(changed, readFileSync(file, 'utf8').replace('DestinationRule', 'DestinationRulf'));
    const key = 'networking.istio.io/v1/DestinationRule';
    expect([file, copy].map((f) => precompiledCrds(f)?.keys.includes(key))).toEqual([true, true]);
    expect(precompiledCrds(changed)).toBeUndefined();
  });

  it('WHEN the executable generates a chart THEN it loads neither node:zlib nor node:crypto (their loading was a millisecond and 7 ms of every run)', () => {
    const out = tempDir();
    const preload = join(out, 'modules.cjs');
    writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(2, `\\nMODULES ${JSON.stringify(process.moduleLoadList)}\\n`));\n");
    const run = spawnSync(process.execPath, ['--require', preload, BUILT_CLI, 'generate', '--out', join(out, 'o')], { cwd: REPO, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const modules = JSON.parse(/^MODULES (.*)$/m.exec(run.stderr)![1]!) as string[];
    expect(modules).toContain('NativeModule vm');
    expect(modules.filter((m) => /^NativeModule (zlib|crypto)$/.test(m))).toEqual([]);
  });

  it('THEN a text and its UTF-8 bytes have one key (the CRD file is checked as bytes), and any change of a character or of the length changes it', () => {
    const text = 'description: "1µs or 1μs"\nkind: DestinationRule\n';
    expect(sourceHash(Buffer.from(text, 'utf8'))).toBe(sourceHash(text));
    expect(sourceHash(text)).toMatch(/^[0-9a-f]{8}[0-9a-f]+$/);
    expect(sourceHash(text.replace('Rule', 'Rulf'))).not.toBe(sourceHash(text));
    expect(sourceHash(`${text} `)).not.toBe(sourceHash(text));
  });
});
