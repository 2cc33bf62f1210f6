import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../support/generate.js';
import { VALUES_FILE } from './helpers.js';

describe('GIVEN the bundled example WHEN zonal report writes the page', () => {
  it('THEN it says that zone routing to the interface endpoint buys latency, not money, and shows the Kafka and Aurora behaviour', async () => {
    const out = join(tempDir(), 'report.html');
    const r = await runCli(['report', '--values', VALUES_FILE, '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/interface VPC endpoint: AWS bills no inter-AZ transfer through PrivateLink since April 2022 .* buys latency, not money/);
    expect(html).toMatch(/partition leaders/);
    expect(html).toMatch(/Aurora writer: every zone(&#x27;|'|&#39;)s writes go to the one writer in us-west-2a/);
  });
});
