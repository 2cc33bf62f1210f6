import { isUndecodable } from '../istio/index.js';
import { readFileSync } from 'node:fs';
import { unpositioned, type KubeObject, type LocatedObject } from '../k8s/manifest.js';
import type { TopologyRouting } from '../model/types.js';
import { renderObjects } from '../render/index.js';
import { parseYamlDocuments, YamlSyntaxError, type PositionedDocument } from '../yaml/source-map.js';
import { isFileError } from '../errors.js';
import { buildInventory } from './inventory.js';
import { place, RENDERED, sortFindings } from './locate.js';
import { deprecatedApiVersions } from './rules/api-versions.js';
import { localitySettingRules } from './rules/locality-settings.js';
import { consecutiveErrors, failoverWithoutOutlierDetection, maxEjectionPercent } from './rules/outlier-detection.js';
import { protocolNames } from './rules/protocols.js';
import { danglingHosts, duplicates } from './rules/references.js';
import { dnsFailoverPriority, endpointRules, interfaceEndpoints, targetPorts } from './rules/service-entries.js';
import { tcpWithoutAddresses } from './rules/tcp-listeners.js';
import { unmatchedSelectors } from './rules/selectors.js';
import { externalTrafficDistribution, externalWorkloadSpread } from './rules/external-workloads.js';
import { externalWorkloadStandIns } from '../render/external-workloads.js';
import { auroraWriterEndpoints, kafkaBootstrapOnly } from './rules/external-hosts.js';
import { injection, topologyMode, zoneSpread } from './rules/workloads.js';
import { istioVerdicts } from './rules/istio-verdicts.js';
import { zoneAwareRules } from './rules/zone-aware.js';
import { ambientRules } from './rules/ambient.js';
import { analyzerFindings, servicePortNames } from './rules/istio-analyzers.js';
import type { Emit, Finding, LintContext, RawFinding } from './types.js';
import { locateInValues } from './values-locator.js';
import { sourceDocumentOf } from '../model/load-values.js';

export type { Finding, LintContext, Severity } from './types.js';
export { RULES, type RuleInfo } from './registry.js';
export { formatHuman, formatJson, hasErrors } from './format.js';

type Rule = (inv: ReturnType<typeof buildInventory>, emit: Emit) => void;

const RULE_FUNCTIONS: readonly Rule[] = [
  failoverWithoutOutlierDetection, consecutiveErrors, maxEjectionPercent, // ZNL001-003
  istioVerdicts, // ZNL004, ZNL009, ZNL030-045: Istio's own webhook/CRD verdicts (the Istio core)
  localitySettingRules, // ZNL008, ZNL012 (distribute)
  endpointRules, // ZNL010-012
  dnsFailoverPriority, // ZNL013
  tcpWithoutAddresses, // ZNL014-015
  targetPorts, // ZNL016
  danglingHosts, duplicates, // ZNL017-018
  protocolNames, // ZNL019
  deprecatedApiVersions, // ZNL020
  injection, zoneSpread, topologyMode, // ZNL021-023
  interfaceEndpoints, // ZNL024
  unmatchedSelectors, // ZNL025 (rules/selectors.ts)
  auroraWriterEndpoints, kafkaBootstrapOnly, // ZNL026-027 (rules/external-hosts.ts)
  externalWorkloadSpread, externalTrafficDistribution, // ZNL028-029 (rules/external-workloads.ts)
  zoneAwareRules, // ZNL050-053 (rules/zone-aware.ts)
  ambientRules, // ZNL060-063 (rules/ambient.ts)
  analyzerFindings, servicePortNames, // ZNL046-049: Istio's analyzer messages (rules/istio-analyzers.ts)
];

function runRules(objects: readonly LocatedObject[], context: LintContext): RawFinding[] {
  const inv = buildInventory(objects, context);
  const raw: RawFinding[] = [];
  for (const rule of RULE_FUNCTIONS) rule(inv, (f) => raw.push(f));
  // An object istiod cannot decode is rejected before any check: Istio warns about nothing in it,
  // so a finding on it keeps its advice but does not claim an Istio warning (verify:istio seed 2320062755).
  return raw.map((f) => (f.istio === 'warns' && isUndecodable(f.target.object) ? withoutIstioClaim(f) : f));
}

function withoutIstioClaim(f: RawFinding): RawFinding {
  const { istio: _claim, ...rest } = f;
  return rest;
}

/**
 * Lints Kubernetes/Istio objects from any source (YAML files, `helm template` output, rendered
 * objects). Pure: reads nothing but its arguments. Findings are sorted by file and line.
 */
export function lintObjects(objects: readonly LocatedObject[], context: LintContext = {}): Finding[] {
  return sortFindings(runRules(objects, context).map(place));
}

/** The LintContext a values model implies: its zones, region, Istio version and DNS capture setting. */
export function contextOfModel(model: TopologyRouting): LintContext {
  return {
    zones: model.cluster.zones.map((z) => z.name),
    region: model.cluster.region,
    meshDnsAutoAllocate: model.mesh.dnsCapture,
    istioVersion: model.mesh.istioVersion,
  };
}

/** Gives rendered objects source positions (their JSON text) so rules can point inside them. */
export function locateRendered(objects: readonly KubeObject[], file = RENDERED): LocatedObject[] {
  // Rendered objects have no source text: findings about them are placed in the values file.
  return objects.map((o) => unpositioned(o, file));
}

/**
 * Lints the objects a values model renders (`renderObjects(model)`) in the model's context, and
 * places every finding in the values file: the line of the service/externalHost/namespace entry
 * that produced the object (or of the key the finding is about), else line 1.
 * `valuesText` is the values file's text; when omitted, the document the model was parsed from is
 * used, else `valuesFile` is read (line 1 if unreadable).
 */
export function lintModel(model: TopologyRouting, valuesFile: string, valuesText?: string): Finding[] {
  // Services another chart deploys (workload: external) take part as the values file describes them.
  const located = locateRendered([...renderObjects(model), ...externalWorkloadStandIns(model)]);
  const raw = runRules(located, contextOfModel(model));
  let doc: PositionedDocument | undefined = valuesText === undefined ? sourceDocumentOf(model) : undefined;
  if (!doc) {
    try {
      doc = parseYamlDocuments(valuesText ?? readFileSync(valuesFile, 'utf8'), valuesFile)[0];
    } catch (err) {
      // An unreadable or unparsable values file only costs positions (line 1); anything else is a bug.
      if (!isFileError(err) && !(err instanceof YamlSyntaxError)) throw err;
      doc = undefined;
    }
  }
  return sortFindings(locateInValues(raw.map((r) => ({ finding: place(r), pointer: r.pointer })), model, valuesFile, doc));
}
