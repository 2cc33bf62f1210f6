import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { analyzeFlowLogFiles, type FlowLogSummary } from '../flowlogs/analyze.js';
import { parseSubnetsFile } from '../flowlogs/zones.js';
import type { Zone } from '../model/types.js';
import { renderReport } from '../report/render.js';
import { usd } from '../simulate/format.js';
import { simulateObjects } from '../simulate/index.js';
import { INPUT_FLAG_OPTIONS, inputFlagsOf, loadSimulationInputs } from '../simulate/load-inputs.js';
import { parseFlags } from './args.js';
import { EXIT_OK, UsageError, type Command, type CommandIO } from './command.js';
import { readInputFile } from '../model/input-file.js';

const usage = `Usage: zonal report --values FILE [--scenario FILE] [--prices FILE] [--flowlogs FILE...] --out report.html
       zonal report -f MANIFESTS... --zones Z1,Z2 [--region R] [--flowlogs FILE... --subnets FILE] --out report.html

Writes one self-contained HTML page (inline CSS, SVG and script; nothing is fetched when it is
opened): zone-to-zone traffic heatmaps before/after routing, monthly cost before/after, a
per-destination breakdown, and, with --flowlogs, the measured flow-log numbers next to the prediction.

Options:
  --values FILE        zonal values file (its chart objects are simulated, as in zonal simulate)
  -f, --file PATH      Kubernetes/Istio manifests instead (repeatable; needs --zones)
  --zones LIST         caller zones, comma separated; --region R the cluster region
  --scenario FILE      endpoint health and traffic volumes (see zonal simulate --help)
  --prices FILE        JSON/YAML overriding generator/cost/prices.ts
  --flowlogs FILE      VPC flow-log file (plain, gzip or CloudWatch JSON lines); repeatable
  --subnets FILE       zones/az-ids/CIDRs for the flow logs when there is no --values
  --log-format STR     the flow logs' custom format (default: the S3 header line, else AWS's default)
  --title TEXT         page title (default: "zonal report: <name>")
  --out FILE           where to write the page (required)

Exit codes: 0 ok, 2 bad input or usage.`;

/** Writes next to the target and renames, so a reader never sees half a page. */
function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

async function run(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseFlags(args, {
    ...INPUT_FLAG_OPTIONS,
    flowlogs: { type: 'string', multiple: true },
    subnets: { type: 'string' },
    'log-format': { type: 'string' },
    title: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  if (!values.out) throw new UsageError('--out FILE is required (where to write the HTML page)');
  const inputs = await loadSimulationInputs(inputFlagsOf(values), io.cwd, io.readStdin);
  const simulation = simulateObjects(inputs.objects, inputs.options);

  let measured: { files: string[]; summary: FlowLogSummary } | undefined;
  const logs = values.flowlogs ?? [];
  if (logs.length > 0) {
    let zones: readonly Zone[];
    if (values.subnets) {
      const text = readInputFile(resolve(io.cwd, values.subnets), values.subnets, 'subnets file', '--subnets');
      zones = parseSubnetsFile(text, values.subnets);
    } else if (inputs.options.model) {
      zones = inputs.options.model.cluster.zones;
    } else {
      throw new UsageError('--flowlogs needs the zones\' subnets: give --values or --subnets FILE');
    }
    const summary = await analyzeFlowLogFiles(logs.map((f) => resolve(io.cwd, f)), {
      zones,
      ...(values['log-format'] !== undefined ? { logFormat: values['log-format'] } : {}),
    });
    measured = { files: logs.map((f) => basename(f)), summary };
  } else if (values.subnets || values['log-format'] !== undefined) {
    throw new UsageError('--subnets and --log-format only apply with --flowlogs FILE');
  }

  const name = inputs.options.model?.name ?? 'manifests';
  const html = renderReport({
    title: values.title ?? `zonal report: ${name}`,
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    simulation,
    ...(measured ? { measured } : {}),
  });
  const out = resolve(io.cwd, values.out);
  writeAtomic(out, html);
  const c = simulation.cost;
  io.stdout(`wrote ${values.out}: ${simulation.destinations.length} destinations, ${usd(c.before.usdPerMonth, c.currency)} -> ${usd(c.after.usdPerMonth, c.currency)} per month` +
    `${measured ? `, ${measured.summary.records} flow-log records` : ''}\n`);
  return EXIT_OK;
}

const command: Command = {
  name: 'report',
  summary: 'self-contained HTML report: traffic heatmaps, cost before/after, measured vs predicted',
  usage,
  run,
};
export default command;
