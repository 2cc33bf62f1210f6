import { toFlowYaml, toYaml } from '../yaml/dump.js';
import { isBranch, valuesOf, type ValuesNode } from './values-tree.js';

/** Keys and scalars that YAML reads back unchanged without quotes (the common case, kept cheap). */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function plainKey(key: string): string {
  return PLAIN.test(key) && !RESERVED.test(key) ? key : toYaml({ [key]: null }).split(':')[0]!;
}

function plainScalar(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string' && PLAIN.test(value) && !RESERVED.test(value) && !/^[0-9.]+$/.test(value)) return value;
  return undefined;
}

function leafLines(key: string, value: unknown): string[] {
  const k = plainKey(key);
  const scalar = plainScalar(value);
  if (scalar !== undefined) return [`${k}: ${scalar}`];
  // Lists of plain strings (endpoint addresses, zones) are the common structured leaf.
  const items = Array.isArray(value) && value.length > 0 ? value.map(plainScalar) : [];
  if (items.length > 0 && items.every((i) => i !== undefined)) return [`${k}:`, ...items.map((i) => `  - ${i}`)];
  return toYaml({ [key]: value }).replace(/\n$/, '').split('\n');
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
    Object.entries(node.children).filter(([, c]) => isBranch(c) || c.value !== undefined).forEach(([key, child], i) => {
      // Blank lines separate siblings, not a parent from its first child.
      if (!quiet && (depth === 0 || i > 0)) lines.push('');
      if (!quiet) lines.push(...comment(child.doc, pad));
      const safeKey = plainKey(key);
      if (quiet) {
        lines.push(`${pad}${safeKey}: ${toFlowYaml(valuesOf(child))}`);
        return;
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
    });
  };
  walk(tree, 0, false);
  return `${lines.join('\n')}\n`;
}
