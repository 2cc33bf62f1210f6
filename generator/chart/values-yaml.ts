import { toYaml } from './helm-yaml.js';
import { isBranch, type ValuesNode } from './values-tree.js';

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
      const safeKey = toYaml({ [key]: null }).split(':')[0];
      if (isBranch(child)) {
        if (Object.keys(child.children).length === 0) lines.push(`${pad}${safeKey}: {}`);
        else {
          lines.push(`${pad}${safeKey}:`);
          walk(child, depth + 1);
        }
      } else {
        const dumped = toYaml({ [key]: child.value }).replace(/\n$/, '');
        lines.push(...dumped.split('\n').map((l) => pad + l));
      }
    });
  };
  walk(tree, 0);
  return `${lines.join('\n')}\n`;
}
