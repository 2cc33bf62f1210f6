import { templateText, type HelmValues } from '../render/value-source.js';
import { toYaml } from '../yaml/dump.js';
import { blockLines } from '../yaml/emit.js';

/**
 * One line of data. A trailing blank (the last line of a block scalar can end in one) is closed
 * with an empty action, so a following `{{-` trims only the line break and not the data.
 */
function literal(line: string): string {
  const last = line.charCodeAt(line.length - 1);
  return templateText(line) + (last === 0x20 || last === 0x09 ? '{{ "" }}' : '');
}

function indentedLines(text: string, indent: number): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  if (indent === 0) return lines;
  const pad = ' '.repeat(indent);
  return lines.map((l) => (l ? pad + l : l));
}

/**
 * Serialises an object tree holding HelmValues placeholders into Helm template text: the tree is
 * dumped as YAML, then each placeholder line is replaced by its Go-template form at the right
 * indentation. Scalars and blocks stay on their key's line; `when` expands into if/else branches.
 *
 * Everything the YAML dump wrote (keys and values, including every user string) is data: it goes
 * through templateText, so a `{{` in it renders literally instead of being evaluated by Helm. Only
 * the placeholders' own code (written by zonal) is template code.
 */
export function toHelmYaml(value: unknown, helm: HelmValues, indent = 0): string {
  const out: string[] = [];
  pushHelmYaml(out, value, helm, indent);
  return out.join('\n');
}

/**
 * toHelmYaml's lines, appended to `out`: a conditional's branches go into the same array, and a
 * template file's objects too (chart-files.ts), so the file's text is joined once instead of once
 * per nesting level (the joins were a third of toHelmYaml's own time in profiles).
 */
export function pushHelmYaml(out: string[], value: unknown, helm: HelmValues, indent = 0): void {
  const lines = (value !== null && typeof value === 'object' ? blockLines(value, ' '.repeat(indent)) : undefined) ?? indentedLines(toYaml(value), indent);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const token = helm.firstToken(line);
    if (!token) {
      out.push(literal(line));
      continue;
    }
    const p = helm.placeholderAt(line, token.at, token.end);
    const head = line.slice(0, token.at); // e.g. "    key: " or "  - "
    const lead = head.trimStart();
    const keyIndent = head.length - lead.length + (lead.startsWith('- ') ? 2 : 0);
    switch (p.kind) {
      case 'scalar':
        out.push(`${templateText(head)}{{ ${p.expr}${p.quote ? ' | quote' : ''} }}`);
        break;
      case 'block':
        out.push(`${templateText(head.trimEnd())}{{- toYaml ${p.expr} | nindent ${keyIndent + 2} }}`);
        break;
      case 'raw':
        out.push(`${templateText(head.trimEnd())}${p.lines(keyIndent)}`);
        break;
      case 'when': {
        // The first key of a list item ("- key: ") keeps its dash on a line of its own, so the
        // item's other keys (same indentation) stay in it whichever branch renders.
        const km = /^(\s*)(- )?([^\s:-][^:]*):\s$/.exec(head);
        if (!km) throw new Error(`internal: a conditional key must stand on its own line (${line.trim()})`);
        const key = km[3]!;
        const pad = km[2] ? `${km[1]!}  ` : km[1]!;
        if (km[2]) out.push(`${km[1]!}-`);
        out.push(`${pad}{{- if ${p.cond} }}`);
        if (p.then !== undefined) pushHelmYaml(out, { [key]: p.then }, helm, pad.length);
        if (p.otherwise !== undefined) {
          out.push(`${pad}{{- else }}`);
          pushHelmYaml(out, { [key]: p.otherwise }, helm, pad.length);
        }
        out.push(`${pad}{{- end }}`);
        break;
      }
    }
  }
}
