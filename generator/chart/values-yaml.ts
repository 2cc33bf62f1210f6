import { toYaml } from './helm-yaml.js';
import { isBranch, type ValuesNode } from './values-tree.js';

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

/** values.yaml with a `# --` comment (helm-docs style) above every key. */
export function renderValuesYaml(tree: ValuesNode, header: string): string {
  const lines: string[] = header.split('\n').map((l) => (l ? `# ${l}` : '#'));
  const walk = (node: ValuesNode, depth: number) => {
    if (!isBranch(node)) return;
    const pad = '  '.repeat(depth);
    Object.entries(node.children).forEach(([key, child], i) => {
      // Blank lines separate siblings, not a parent from its first child.
      if (depth === 0 || i > 0) lines.push('');
      lines.push(...comment(child.doc, pad));
      const safeKey = plainKey(key);
      if (isBranch(child)) {
        if (Object.keys(child.children).length === 0) lines.push(`${pad}${safeKey}: {}`);
        else {
          lines.push(`${pad}${safeKey}:`);
          walk(child, depth + 1);
        }
      } else {
        lines.push(...leafLines(key, child.value).map((l) => pad + l));
      }
    });
  };
  walk(tree, 0);
  return `${lines.join('\n')}\n`;
}
