import { simulateObjects } from '../simulate/index.js';
import { compareModes, formatComparison, parseCompareModes } from '../simulate/compare.js';
import { formatSimulation } from '../simulate/format.js';
import { EXIT_OK, type CommandIO } from './command.js';
import { defineCommand } from './declare.js';
import { loadSimulationInputs, SIMULATION_INPUT_FLAGS } from './shared/simulation-inputs.js';

export default defineCommand({
  name: 'simulate',
  summary: 'predict where each zone\'s calls go (Istio + Envoy maths) and what cross-zone traffic costs',
  synopsis: [
    '--values FILE [--scenario FILE] [--prices FILE] [--json]',
    '-f MANIFESTS... --zones Z1,Z2,Z3 [--region R] [--scenario FILE] [--prices FILE] [--json]',
  ],
  description: `Predicts where each zone's calls go, for every Service and ServiceEntry, the way istiod
(1.29 to 1.32: --istio-version, else mesh.istioVersion) and Envoy actually route them (locality
priorities, failover/failoverPriority/distribute, outlier detection, overprovisioning factor 1.4,
panic threshold, locality weights; ztunnel and waypoints in ambient; or kube-proxy), and what
the cross-zone traffic costs per month with routing off ("before") and as configured ("after").
Zone-aware routing (zoneAwareLbSetting, Istio 1.31+) follows Envoy's residual-capacity maths against
the callers' pods per zone (scenario callers). Every prediction reports the load per endpoint and
the hot zones (--hot-zone-factor) with remedies; --compare simulates each mode side by side.`,
  examples: [
    'zonal simulate --values values/octank-travel.yaml',
    'zonal simulate --values values/octank-travel.yaml --scenario scenario.yaml --compare zone-local,zone-aware,off',
    'zonal simulate -f manifests/ --zones us-west-2a,us-west-2b --region us-west-2 --json',
  ],
  flags: {
    ...SIMULATION_INPUT_FLAGS,
    compare: {
      type: 'string', arg: 'MODES',
      help: 'simulate every DestinationRule in each mode (zone-local, zone-aware, off; comma separated)\nand print cross-zone cost and worst per-endpoint load side by side',
    },
    json: {
      type: 'boolean',
      help: 'print { zones, destinations: [ { name, endpoints: [ { zone, callShare, callSharePerEndpoint } ],\nhotZones, callers: [ { zone, shares } ] } ], matrix, cost: { currency, before, after } } instead of tables',
    },
  },
  footer: 'Exit codes: 0 ok, 2 bad input or usage.',
}, async ({ flags }, io) => {
  const inputs = await loadSimulationInputs(flags, io.cwd, io.readStdin);
  if (flags.compare !== undefined) {
    const comparison = compareModes(inputs.objects, inputs.options, parseCompareModes(flags.compare));
    io.stdout(flags.json ? jsonOut(comparison, io) : formatComparison(comparison));
    return EXIT_OK;
  }
  const result = simulateObjects(inputs.objects, inputs.options);
  io.stdout(flags.json ? jsonOut(result, io) : formatSimulation(result));
  return EXIT_OK;
});

/**
 * JSON indented for a person at a terminal, compact for a program (a pipe or a file: `jq .` indents
 * it): a 5,000-service prediction is 27 MB indented, and indenting it cost a tenth of the run.
 */
function jsonOut(value: unknown, io: CommandIO): string {
  return `${io.tty ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`;
}
