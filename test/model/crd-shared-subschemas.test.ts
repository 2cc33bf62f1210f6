import { describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { CRD_AJV_OPTIONS, crdRootSchema, crdSchemasOf, istioCrdFile, sharedSubschemas, strictRootSchema as unshared } from '../../generator/validate/crd-schema.js';
import { mulberry32 as random } from '../support/random.js';

type Schema = Record<string, unknown>;

/** An instance of `s`, mostly valid, with wrong types, unknown fields and bad enum values mixed in. */
function instance(s: Schema | undefined, r: () => number, depth: number): unknown {
  const wrong = r() < 0.08;
  if (!s || depth > 9) return 'x';
  if (Array.isArray(s.anyOf)) return instance((s.anyOf as Schema[])[Math.floor(r() * s.anyOf.length)], r, depth + 1);
  if (Array.isArray(s.enum)) return wrong ? 'NOT_IN_ENUM' : s.enum[Math.floor(r() * s.enum.length)];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (wrong) return type === 'string' ? 7 : 'wrong';
  switch (type) {
    case 'string': return 'v';
    case 'integer': return Math.floor(r() * 5) - 1;
    case 'number': return r();
    case 'boolean': return r() < 0.5;
    case 'array': return Array.from({ length: Math.floor(r() * 3) }, () => instance(s.items as Schema, r, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      const props = Object.entries((s.properties ?? {}) as Record<string, Schema>);
      for (const [k, v] of props) if (r() < (depth < 3 ? 0.7 : 0.35)) out[k] = instance(v, r, depth + 1);
      if (r() < 0.05) out.unknownField = 1;
      return out;
    }
  }
}

function shape(fn: ValidateFunction, value: unknown): unknown {
  return fn(value) ? 'valid' : (fn.errors ?? []).map((e) => [e.instancePath, e.keyword, e.message, e.params]);
}

describe('GIVEN CRD schemas with the same subschema under several fields', () => {
  const repeated = {
    type: 'object',
    description: 'retries',
    properties: {
      attempts: { type: 'integer', description: 'how many' },
      on: { type: 'string', enum: ['5xx', 'reset', 'connect-failure', 'refused-stream', 'retriable-4xx'] },
      perTryTimeout: { type: 'string' },
    },
    required: ['attempts'],
  };
  const schema: Schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          policy: repeated,
          ports: { type: 'array', items: { type: 'object', properties: { number: { type: 'integer' }, policy: repeated } } },
        },
      },
    },
  };

  it('WHEN the schema is prepared THEN the repeated subschema is one definition, referenced from each place, without descriptions', () => {
    const root = crdRootSchema(schema);
    const defs = root.definitions as Record<string, Schema>;
    expect(Object.keys(defs)).toEqual(['shared0']);
    const spec = (root.properties as Record<string, Schema>).spec!;
    const specProps = spec.properties as Record<string, Schema>;
    expect(specProps.policy).toEqual({ $ref: '#/definitions/shared0' });
    expect(((specProps.ports!.items as Schema).properties as Record<string, Schema>).policy).toEqual({ $ref: '#/definitions/shared0' });
    expect(JSON.stringify(root)).not.toContain('description');
    expect(defs.shared0!.additionalProperties).toBe(false);
  });

  it('WHEN a subschema occurs once, or is short, THEN it stays in place', () => {
    const once = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } }, c: { type: 'string' }, d: { type: 'string' } } };
    expect(sharedSubschemas(once)).toEqual(once);
  });

  it('WHEN objects are checked THEN the shared and the unshared schema give the same verdicts, paths and messages', () => {
    const shared = new Ajv(CRD_AJV_OPTIONS).compile(crdRootSchema(schema));
    const plain = new Ajv(CRD_AJV_OPTIONS).compile(unshared(schema));
    const bad = { spec: { policy: { on: 'never', extra: 1 }, ports: [{ number: 1, policy: { attempts: 'two' } }] } };
    expect(shape(shared, bad)).toEqual(shape(plain, bad));
    expect((shape(shared, bad) as unknown[]).map((e) => (e as string[])[0])).toEqual(
      ['/spec/policy', '/spec/policy', '/spec/policy/on', '/spec/ports/0/policy/attempts']);
  });

  it('WHEN random objects are checked against Istio CRDs THEN the shared and the unshared schema agree on each (the generate gate\'s messages are unchanged)', () => {
    const file = istioCrdFile(process.env, 'istio-1.31');
    if (!existsSync(file)) return; // the upstream CRDs are not on this machine
    const schemas = crdSchemasOf(readFileSync(file, 'utf8'));
    const kinds = ['networking.istio.io/v1/DestinationRule', 'networking.istio.io/v1/ServiceEntry', 'networking.istio.io/v1/Sidecar', 'networking.istio.io/v1/VirtualService'];
    let invalid = 0;
    for (const key of kinds) {
      const source = schemas.get(key)!;
      const root = crdRootSchema(source);
      if (key.endsWith('/DestinationRule')) expect(Object.keys(root.definitions as Schema).length).toBeGreaterThan(10);
      const shared = new Ajv(CRD_AJV_OPTIONS).compile(root);
      const plainSchema = unshared(source);
      const plain = new Ajv(CRD_AJV_OPTIONS).compile(plainSchema);
      const r = random(key.length);
      for (let i = 0; i < 150; i++) {
        const value = instance(plainSchema, r, 0);
        const verdict = shape(plain, value);
        if (verdict !== 'valid') invalid++;
        expect([key, i, shape(shared, value)]).toEqual([key, i, verdict]);
      }
    }
    expect(invalid).toBeGreaterThan(100); // the objects did exercise the error paths
  });
});
