import { toFlowYaml, toYaml } from '../yaml/dump.js';
import { blockKey, flowMappingYaml } from '../yaml/emit.js';
import { hasValue, isBranch, valuesOf, type ValuesNode } from './values-tree.js';

/** A documented leaf: the key and its value as block YAML (the fast writer of yaml/emit.ts). */
function leafLines(key: string, value: unknown): string[] {
  return toYaml({ [key]: value }).replace(/\n$/, '').split('\n');
}

/**
 * An item's values on one line in flow style: what `toFlowYaml(valuesOf(node))` writes, without
 * the copy of the item that valuesOf builds (most of values.yaml is such lines: one per service
 * after the first).
 */
function flowLine(node: ValuesNode): string {
  const mapping = (n: ValuesNode, key: (k: string) => string, value: (v: unknown) => string): string => {
    if (!isBranch(n)) return value(n.value);
    const parts: string[] = [];
    const keys = Object.keys(n.children);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const c = n.children[k]!;
      if (hasValue(c)) parts.push(`${key(k)}: ${mapping(c, key, value)}`);
    }
    return `{${parts.join(', ')}}`;
  };
  // A leaf is a whole document, not a value inside a flow mapping (js-yaml writes the two by
  // different rules): flowYaml writes it, through toFlowYaml.
  return (isBranch(node) ? flowMappingYaml((key, value) => mapping(node, key, value)) : undefined) ?? toFlowYaml(valuesOf(node));
}

function comment(doc: string, pad: string): string[] {
  return doc ? [`${pad}# -- ${doc}`] : [];
}

/**
 * values.yaml with a `# --` comment (helm-docs style) above every key. Items sharing a definition
 * (`ref`: services, external hosts, namespaces) document their keys once, on the first item; the
 * others carry only their own one-line comment, so the file grows by the values alone (Helm
 * refuses chart files over 5 MiB).
 */
export function renderValuesYaml(tree: ValuesNode, header: string): string {
  const lines: string[] = header.split('\n').map((l) => (l ? `# ${l}` : '#'));
  const documented = new Set<string>();
  const walk = (node: ValuesNode, depth: number, quiet: boolean) => {
    if (!isBranch(node)) return;
    const pad = '  '.repeat(depth);
    // Keys and an indexed loop: Object.entries and destructured pairs allocate per key in code
    // that runs before it is optimised, and this visits every key of values.yaml.
    const keys = Object.keys(node.children).filter((k) => hasValue(node.children[k]!));
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const child = node.children[key]!;
      // Blank lines separate siblings, not a parent from its first child.
      if (!quiet && (depth === 0 || i > 0)) lines.push('');
      if (!quiet) lines.push(...comment(child.doc, pad));
      const safeKey = blockKey(key);
      if (quiet) {
        lines.push(`${pad}${safeKey}: ${flowLine(child)}`);
        continue;
      }
      if (isBranch(child)) {
        if (Object.keys(child.children).length === 0) lines.push(`${pad}${safeKey}: {}`);
        else {
          const repeat = child.ref !== undefined && documented.has(child.ref);
          if (child.ref) documented.add(child.ref);
          lines.push(`${pad}${safeKey}:`);
          walk(child, depth + 1, quiet || repeat);
        }
      } else {
        lines.push(...leafLines(key, child.value).map((l) => pad + l));
      }
    }
  };
  walk(tree, 0, false);
  return `${lines.join('\n')}\n`;
}
