import { simulateObjects } from '../simulate/index.js';
import { formatSimulation } from '../simulate/format.js';
import { INPUT_FLAG_OPTIONS, inputFlagsOf, loadSimulationInputs } from '../simulate/load-inputs.js';
import { parseFlags } from './args.js';
import { EXIT_OK, type Command, type CommandIO } from './command.js';

const usage = `Usage: zonal simulate --values FILE [--scenario FILE] [--prices FILE] [--json]
       zonal simulate -f MANIFESTS... --zones Z1,Z2,Z3 [--region R] [--scenario FILE] [--prices FILE] [--json]

Predicts where each zone's calls go, for every Service and ServiceEntry, the way Istio 1.30 and
Envoy actually route them (locality priorities, failover/failoverPriority/distribute, outlier
detection, overprovisioning factor 1.4, panic threshold, locality weights; or kube-proxy), and what
the cross-zone traffic costs per month with routing off ("before") and as configured ("after").

Options:
  --values FILE       zonal values file; its chart objects are simulated (as rendered by generate)
  -f, --file PATH     Kubernetes/Istio manifests instead (file, directory of *.yaml, or - for stdin);
                      repeatable. Needs --zones (and --region unless ServiceEntry localities say it)
  --zones LIST        caller zones, comma separated (default: the values file's cluster zones)
  --region R          the cluster's region (default: the values file's cluster.region)
  --scenario FILE     endpoint health and traffic volumes (docs/simulate.md):
                        endpoints: { <destination>: { <zone>: { total: N, healthy: N, notReady: N } } }
                        traffic: [ { from: <zone>, to: <destination>, gbPerMonth: N } ]
                        defaultGbPerMonth: N      dataplane: sidecar | kube-proxy
  --prices FILE       JSON/YAML overriding generator/cost/prices.ts (any subset)
  --json              print { zones, destinations: [ { name, callers: [ { zone, shares } ] } ],
                      matrix, cost: { currency, before, after } } instead of tables

Exit codes: 0 ok, 2 bad input or usage.`;

async function run(args: readonly string[], io: CommandIO): Promise<number> {
  const { values } = parseFlags(args, {
    ...INPUT_FLAG_OPTIONS,
    json: { type: 'boolean' },
  });
  const inputs = await loadSimulationInputs(inputFlagsOf(values), io.cwd, io.readStdin);
  const result = simulateObjects(inputs.objects, inputs.options);
  io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatSimulation(result));
  return EXIT_OK;
}

const command: Command = {
  name: 'simulate',
  summary: 'predict where each zone\'s calls go (Istio + Envoy maths) and what cross-zone traffic costs',
  usage,
  run,
};
export default command;
