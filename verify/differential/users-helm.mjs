// The Helm releases users run (../shared/DESIGN.md, late 2026: Helm 4.2.x, which Argo CD 3.5+
// renders with, and Helm 3.21.x), built from their Go modules: the npm packages the tests take Helm
// from ship 4.1.4 and 3.17.2 only, and 3.17.2 does not yet refuse chart files over 5 MiB.
// verify/helm/helm3 and verify/helm/helm4 pin each release in go.mod (a `tool` directive) and every
// module in go.sum, one module per release so that each is built with its own dependency versions.
// Built into the git-ignored .cache/users-helm/<key>/ with the ldflags of Helm's own Makefile (the
// version, and for Helm 3 the default Kubernetes version, which it takes from client-go's), keyed
// by go.mod, go.sum and the Go version, so only the first run pays for the build.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildInto, goVersion } from './build.mjs';

const MODULES = join(ROOT, 'verify', 'helm');
const CACHE = join(ROOT, '.cache', 'users-helm');

function go(dir, args) {
  return execFileSync('go', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

function moduleVersion(dir, path) {
  return go(dir, ['list', '-mod=readonly', '-m', '-f', '{{.Version}}', path]);
}

/** The ldflags Helm's Makefile builds release binaries with (version; Helm 3's default Kubernetes version). */
function ldflags(dir, major, version) {
  const pkg = `helm.sh/helm/v${major}`;
  const flags = ['-s', '-w', `-X ${pkg}/internal/version.version=${version}`, `-X ${pkg}/internal/version.gitTreeState=clean`];
  if (major === 3) {
    // client-go v0.N.M is Kubernetes 1.N: the Makefile passes major = 0 + 1 and minor = N.
    const [maj, min] = moduleVersion(dir, 'k8s.io/client-go').replace(/^v/, '').split('.');
    for (const p of ['pkg/lint/rules', 'pkg/chartutil']) flags.push(`-X ${pkg}/${p}.k8sVersionMajor=${Number(maj) + 1}`, `-X ${pkg}/${p}.k8sVersionMinor=${min}`);
  }
  return flags.join(' ');
}

/**
 * Returns [{ major, version, binary }] for Helm 4 and Helm 3 as users run them, building what the
 * cache lacks. Throws when Go is missing or a build fails (verify:istio reports it and fails).
 */
export function ensureUsersHelm(log = (m) => process.stderr.write(`${m}\n`)) {
  return [4, 3].map((major) => {
    const dir = join(MODULES, `helm${major}`);
    const h = createHash('sha256').update(goVersion());
    for (const f of ['go.mod', 'go.sum']) h.update(readFileSync(join(dir, f)));
    const key = `helm${major}-${h.digest('hex').slice(0, 16)}`;
    const binary = join(CACHE, key, 'helm');
    const version = moduleVersion(dir, `helm.sh/helm/v${major}`);
    if (!existsSync(binary)) {
      const started = Date.now();
      log(`users-helm: building Helm ${version} from its Go module (first run: a minute or two)`);
      // Builds of other go.mod/go.sum contents of this major are of no use any more.
      buildInto(CACHE, key, (tmp) => execFileSync('go',
        ['build', '-mod=readonly', '-trimpath', '-ldflags', ldflags(dir, major, version), '-o', join(tmp, 'helm'), `helm.sh/helm/v${major}/cmd/helm`],
        { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] }), (e) => e.startsWith(`helm${major}-`));
      log(`users-helm: built Helm ${version} in ${Math.round((Date.now() - started) / 1000)}s`);
    }
    return { major, version, binary };
  });
}
