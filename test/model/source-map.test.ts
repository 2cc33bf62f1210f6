import { describe, expect, it } from '@jest/globals';
import { parseYamlDocuments, YamlSyntaxError } from '../../generator/yaml/source-map.js';

describe('GIVEN YAML text WHEN parsed with positions', () => {
  const text = 'a: 1\nlist:\n  - name: x\n    port: 80\n  - { name: "y/z", port: 81 }\n';
  const [doc] = parseYamlDocuments(text, 'f.yaml');

  it('THEN values are the same as a plain load', () => {
    expect(doc!.value).toEqual({ a: 1, list: [{ name: 'x', port: 80 }, { name: 'y/z', port: 81 }] });
  });

  it('THEN keys and values of block and flow collections have 1-based positions', () => {
    expect(doc!.keyAt('/list')).toEqual({ line: 2, column: 1 });
    expect(doc!.valueAt('/list/0/port')).toEqual({ line: 4, column: 11 });
    expect(doc!.keyAt('/list/1/port')).toEqual({ line: 5, column: 20 });
    expect(doc!.valueAt('/list/1/name')).toEqual({ line: 5, column: 13 });
  });

  it('THEN an unknown pointer falls back to its nearest located parent', () => {
    expect(doc!.nearest('/list/0/missing/deeper')).toEqual({ line: 3, column: 5 });
  });

  it('THEN multi-document input yields one document each with its first line', () => {
    const docs = parseYamlDocuments('a: 1\n---\n# c\nb: 2\n', 'm.yaml');
    expect(docs.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(docs[1]!.line).toBe(4);
  });

  it('THEN invalid YAML throws a located YamlSyntaxError', () => {
    expect(() => parseYamlDocuments('a: 1\na: 2\n', 'dup.yaml')).toThrow(YamlSyntaxError);
    try {
      parseYamlDocuments('a: [1\nb: 2', 'bad.yaml');
    } catch (e) {
      expect((e as YamlSyntaxError).message).toMatch(/^bad\.yaml:\d+:\d+: /);
    }
  });
});
