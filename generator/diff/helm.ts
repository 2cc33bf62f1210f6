import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { packageRoot } from '../package-root.js';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** zonal's own checkout/installation root (where `.tools/helm{3,4}` are extracted). */
function zonalRoot(): string | undefined {
  const dir = packageRoot();
  return existsSync(join(dir, 'package.json')) ? dir : undefined;
}

/**
 * The Helm binary to run: $ZONAL_HELM, else `helm` on PATH, else the Helm 4 or Helm 3 that
 * zonal's install step extracts into `.tools/` (of zonal itself or of `roots`).
 */
export function findHelm(env: NodeJS.ProcessEnv, roots: readonly string[] = []): string | undefined {
  if (env.ZONAL_HELM) return env.ZONAL_HELM;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (executable(join(dir, 'helm'))) return join(dir, 'helm');
  }
  const own = zonalRoot();
  for (const root of [...(own ? [own] : []), ...roots]) {
    for (const tool of ['helm4', 'helm3']) {
      const p = join(root, '.tools', tool, 'helm');
      if (executable(p)) return p;
    }
  }
  return undefined;
}

export class HelmError extends Error {
  override readonly name = 'HelmError';
  constructor(message: string, readonly stderr: string) {
    super(message);
  }
}

/** `helm template <release> <chartDir> --values f...`; resolves with the manifests, rejects with HelmError. */
export function helmTemplate(
  helm: string, release: string, chartDir: string, valueFiles: readonly string[], env: NodeJS.ProcessEnv, namespace?: string,
): Promise<string> {
  const args = ['template', release, chartDir, ...(namespace ? ['--namespace', namespace] : []), ...valueFiles.flatMap((f) => ['--values', f])];
  return new Promise((resolve, reject) => {
    execFile(helm, args, { env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') {
        return reject(new HelmError(`cannot run Helm at ${helm} (${code === 'ENOENT' ? 'no such file' : 'not executable'}; set ZONAL_HELM to a Helm 3 or 4 binary)`, ''));
      }
      reject(new HelmError(`helm template ${chartDir} failed`, String(stderr)));
    });
  });
}
