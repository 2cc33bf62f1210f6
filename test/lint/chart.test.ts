import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateInto, BUILT_CLI as CLI } from '../support/generate.js';
import { helm, helmBinaries, REPO, type HelmBinary } from '../support/helm.js';

const COMMITTED_CHART = join(REPO, 'charts', 'octank-travel');

/** `helm template ... | zonal lint -f -` with the built CLI in a real process, as CI and users run it. */
function lintTemplate(bin: HelmBinary, chartDir: string, ...flags: string[]) {
  const manifests = helm(bin, ['template', 'octank-travel', chartDir, '--namespace', 'octank-travel-ns']);
  const r = spawnSync(process.execPath, [CLI, 'lint', ...flags, '-f', '-'], { input: manifests, encoding: 'utf8', cwd: REPO });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectClean(r: { code: number | null; stdout: string; stderr: string }): void {
  expect(r.stderr).not.toMatch(/zonal lint: [1-9]\d* error/);
  expect(r.stdout).not.toMatch(/: (ERROR|WARNING) ZNL/);
  expect(r.code).toBe(0);
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build the CLI first (npm run build, or npm test which runs pretest)`);
});

describe('GIVEN the chart zonal generate writes for the bundled example', () => {
  let chartDir: string;
  beforeAll(async () => {
    chartDir = join(await generateInto(join(REPO, 'values', 'octank-travel.yaml')), 'charts', 'octank-travel');
  });

  it.each(helmBinaries().map((b) => [b.major, b] as const))(
    'WHEN Helm %s renders it and the output is piped into zonal lint -f - THEN it exits 0 with no error or warning',
    (_major, bin) => {
      const r = lintTemplate(bin, chartDir);
      expectClean(r);
      expect(r.stdout).toMatch(/^<stdin>:\d+: INFO ZNL024 /m); // the linter did see the objects
    },
  );

  it('WHEN linted with --json THEN every finding is info', () => {
    const r = lintTemplate(helmBinaries()[1]!, chartDir, '--json');
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout) as { severity: string }[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'info')).toBe(true);
  });
});

const committed = existsSync(join(COMMITTED_CHART, 'Chart.yaml'));
(committed ? describe : describe.skip)(
  committed
    ? 'GIVEN the committed chart charts/octank-travel'
    : 'GIVEN the committed chart charts/octank-travel (SKIPPED: charts/octank-travel does not exist yet; run npm run generate)',
  () => {
    it('WHEN .tools/helm4/helm template output is piped into zonal lint -f - THEN it exits 0 with no error or warning', () => {
      expectClean(lintTemplate(helmBinaries()[1]!, COMMITTED_CHART));
    });
  },
);
