import { dump } from 'js-yaml';
import { TOKEN, type Placeholder } from '../render/value-source.js';

const DUMP_OPTIONS = { lineWidth: -1, noRefs: true, quoteStyle: 'double' as const };

/** Deterministic YAML for generated files: no folding, no anchors, double quotes when needed. */
export function toYaml(value: unknown): string {
  return dump(value, DUMP_OPTIONS);
}

function indentLines(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/**
 * Serialises an object tree holding HelmValues placeholders into Helm template text: the tree is
 * dumped as YAML, then each placeholder line is replaced by its Go-template form at the right
 * indentation. Scalars and blocks stay on their key's line; `when` expands into if/else branches.
 */
export function toHelmYaml(value: unknown, placeholders: readonly Placeholder[], indent = 0): string {
  const lines = indentLines(toYaml(value), indent).split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const m = TOKEN.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const p = placeholders[Number(m[1])]!;
    const head = line.slice(0, m.index); // e.g. "    key: " or "  - "
    const keyIndent = head.length - head.trimStart().length + (head.trimStart().startsWith('- ') ? 2 : 0);
    switch (p.kind) {
      case 'scalar':
        out.push(`${head}{{ ${p.expr}${p.quote ? ' | quote' : ''} }}`);
        break;
      case 'block':
        out.push(`${head.trimEnd()}{{- toYaml ${p.expr} | nindent ${keyIndent + 2} }}`);
        break;
      case 'raw':
        out.push(`${head.trimEnd()}${p.lines(keyIndent)}`);
        break;
      case 'when': {
        const km = /^(\s*)([^\s:][^:]*):\s$/.exec(head);
        if (!km) throw new Error(`internal: a conditional key must stand on its own line (${line.trim()})`);
        const key = km[2]!;
        const pad = km[1]!;
        const branch = (v: unknown) => (v === undefined ? [] : [toHelmYaml({ [key]: v }, placeholders, pad.length)]);
        out.push(`${pad}{{- if ${p.cond} }}`, ...branch(p.then));
        if (p.otherwise !== undefined) out.push(`${pad}{{- else }}`, ...branch(p.otherwise));
        out.push(`${pad}{{- end }}`);
        break;
      }
    }
  }
  return out.join('\n');
}
