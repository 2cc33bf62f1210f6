import type { Finding } from './types.js';

/** `file:line: SEVERITY ZNLnnn message`, one line per finding. */
export function formatHuman(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}: ${f.severity.toUpperCase()} ${f.code} ${f.message}\n`).join('');
}

/** One JSON array of findings with exactly the documented keys. */
export function formatJson(findings: readonly Finding[]): string {
  const rows = findings.map(({ code, severity, message, file, line, kind, name, namespace, istio }) =>
    ({ code, severity, message, file, line, kind, name, namespace, ...(istio ? { istio } : {}) }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
