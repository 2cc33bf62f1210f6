/**
 * Kubernetes' own rules for the names and labels zonal writes from the values file, checked before
 * anything is generated (the API server would reject the objects at sync time, long after review).
 */
import { CHART_LABEL, USE_WAYPOINT_LABEL } from '../well-known.js';
import { quoteForMessage, type ProblemCollector } from './problems.js';

/** A Service name: DNS-1035 label (starts with a letter), at most 63 characters. */
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A label value: empty, or <= 63 of [A-Za-z0-9-_.] beginning and ending with an alphanumeric. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** The name part of a label key (same character rules as a value, but not empty). */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** The optional prefix of a label key: a DNS-1123 subdomain. */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** JSON Schema patterns of the same rules (the chart's values.schema.json checks `--set` labels with them; lengths aside). */
export const LABEL_VALUE_PATTERN = LABEL_VALUE.source;
export const LABEL_KEY_PATTERN = `^(${DNS1123_SUBDOMAIN.source.slice(1, -1)}/)?${LABEL_NAME.source.slice(1)}`;

/** Labels the chart itself puts on a Namespace (standard labels and the sidecar-injection label). */
export const GENERATED_NAMESPACE_LABELS: readonly string[] = [
  'app.kubernetes.io/instance', 'app.kubernetes.io/name', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of',
  'app.kubernetes.io/version', CHART_LABEL, 'istio-injection', 'istio.io/rev',
];

/** Labels the chart itself puts on a service's objects and pods (render/labels.ts, render/ambient.ts). */
export const GENERATED_WORKLOAD_LABELS: readonly string[] = [
  'app.kubernetes.io/instance', 'app.kubernetes.io/name', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of',
  'app.kubernetes.io/version', CHART_LABEL, USE_WAYPOINT_LABEL,
];

/** The volume every generated pod has, and where its container mounts it (render/deployment.ts). */
export const GENERATED_VOLUME = { name: 'tmp', mountPath: '/tmp' } as const;

/** A volume name: DNS-1123 label. */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Environment variables every generated container sets itself (render/deployment.ts). */
export const GENERATED_ENV_NAMES: readonly string[] = ['PORT', 'ZONE', 'POD_NAME', 'NODE_NAME'];

/** Why `value` is not a valid label value, or undefined when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return `is ${value.length} characters long; a label value has at most 63`;
  if (!LABEL_VALUE.test(value)) return 'is not a valid label value: letters, digits, "-", "_" and ".", beginning and ending with a letter or digit';
  return undefined;
}

/** Why `key` is not a valid label key, or undefined when it is. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return 'has a prefix that is not a DNS subdomain (lower-case letters, digits, "-" and ".", at most 253 characters)';
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return 'is not a valid label key: [prefix/]name, the name at most 63 letters, digits, "-", "_" and ".", beginning and ending with a letter or digit';
  }
  return undefined;
}

type StringMap = Record<string, unknown>;

/**
 * Volumes and mounts: the API server refuses duplicate volume names and mount paths, and the chart
 * already has the `tmp` volume at `/tmp` (the root file system is read-only).
 */
function checkVolumes(s: NonNullable<RawForRules['services']>[number], at: string, out: ProblemCollector): void {
  const names = new Set<string>([GENERATED_VOLUME.name]);
  (s.volumes ?? []).forEach((v, j) => {
    const name = v?.name;
    if (typeof name !== 'string') return; // the schema reports it
    if (!DNS1123_LABEL.test(name) || name.length > 63) {
      out.atValue(`${at}/volumes/${j}/name`, `volume name ${quoteForMessage(name)} is not a DNS label`, 'use lower-case letters, digits and "-", at most 63');
    } else if (names.has(name)) {
      out.atValue(`${at}/volumes/${j}/name`, `volume name "${name}" is used twice${name === GENERATED_VOLUME.name ? ' (the chart mounts its own "tmp" volume at /tmp)' : ''}`,
        'give every volume its own name');
    }
    names.add(name);
  });
  const paths = new Set<string>([GENERATED_VOLUME.mountPath]);
  (s.volumeMounts ?? []).forEach((m, j) => {
    if (typeof m?.name === 'string' && !names.has(m.name)) {
      out.atValue(`${at}/volumeMounts/${j}/name`, `volumeMounts[${j}] mounts ${quoteForMessage(m.name)}, which is not a volume of this service`, 'add it to volumes, or fix the name');
    }
    const path = m?.mountPath;
    if (typeof path !== 'string') return;
    if (paths.has(path.replace(/\/+$/, '') || '/')) {
      out.atValue(`${at}/volumeMounts/${j}/mountPath`, `mountPath ${quoteForMessage(path)} is used twice${path.replace(/\/+$/, '') === GENERATED_VOLUME.mountPath ? ' (the chart mounts its own volume at /tmp)' : ''}`,
        'mount every volume at its own path');
    }
    paths.add(path.replace(/\/+$/, '') || '/');
  });
}

interface RawForRules {
  chart?: { appVersion?: string };
  namespaces: Array<{ name: string; labels?: Record<string, string> }>;
  services?: Array<{
    name: string; serviceName?: string; image?: { tag?: string }; env?: Record<string, string>;
    labels?: StringMap; selector?: StringMap; nodeSelector?: StringMap; podAnnotations?: StringMap; serviceAccount?: { annotations?: StringMap };
    volumes?: Array<{ name?: unknown }>; volumeMounts?: Array<{ name?: unknown; mountPath?: unknown }>;
  }>;
}

const seg = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A map of labels (kind 'label': keys and values checked, `reserved` keys refused) or of
 * annotations (kind 'annotation': keys checked; any value) at `at` (`what` names it in messages).
 */
function checkMap(map: StringMap | undefined, at: string, what: string, kind: 'label' | 'annotation', out: ProblemCollector, reserved: readonly string[] = []): void {
  for (const [key, value] of Object.entries(map ?? {})) {
    const where = `${at}/${seg(key)}`;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) out.atKey(where, `${what} key ${quoteForMessage(key)} ${keyProblem.replace('label key', `${kind} key`)}`, `fix the ${kind} key`);
    else if (reserved.includes(key)) out.atKey(where, `${what}.${key} is a label the chart sets itself`, 'remove it (the chart writes it; a second one would be a duplicate key)');
    const valueProblem = kind === 'label' && typeof value === 'string' ? labelValueProblem(value) : undefined;
    if (valueProblem) out.atValue(where, `${what}.${keyProblem ? '<key>' : key} ${quoteForMessage(value as string)} ${valueProblem}`, 'fix the label value');
  }
}

/** Key and value syntax of a label map from the values file, and the keys the chart writes itself. */
function checkLabels(labels: Record<string, string> | undefined, base: string, where: string, reserved: readonly string[], out: ProblemCollector): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const at = `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) out.atKey(at, `${where} key ${quoteForMessage(key)} ${keyProblem}`, 'fix the label key');
    else if (reserved.includes(key)) {
      out.atKey(at, `${where}.${key} is a label the chart sets itself`, 'remove it (the chart writes it from the values file)');
    }
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
    if (valueProblem) out.atValue(at, `${where}.${keyProblem ? '<key>' : key} ${quoteForMessage(value)} ${valueProblem}`, 'fix the label value');
  }
}

/** Service names, namespace and service labels, the version label and container environment names. */
export function checkKubernetesRules(v: RawForRules, out: ProblemCollector): void {
  const services = v.services ?? [];
  services.forEach((s, i) => {
    const name = s.serviceName ?? s.name;
    if (!DNS1035.test(name)) {
      out.atValue(`/services/${i}/${s.serviceName !== undefined ? 'serviceName' : 'name'}`,
        `Service name ${quoteForMessage(name)} must start with a letter (Kubernetes Service names are DNS-1035 labels)`,
        s.serviceName !== undefined ? 'rename it, e.g. svc-' + name : `set serviceName to a name beginning with a letter, e.g. svc-${name}`);
    }
    const at = `/services/${i}`;
    checkMap(s.labels, `${at}/labels`, `services[${i}].labels`, 'label', out, GENERATED_WORKLOAD_LABELS);
    checkMap(s.selector, `${at}/selector`, `services[${i}].selector`, 'label', out);
    checkMap(s.nodeSelector, `${at}/nodeSelector`, `services[${i}].nodeSelector`, 'label', out);
    checkMap(s.podAnnotations, `${at}/podAnnotations`, `services[${i}].podAnnotations`, 'annotation', out);
    checkMap(s.serviceAccount?.annotations, `${at}/serviceAccount/annotations`, `services[${i}].serviceAccount.annotations`, 'annotation', out);
    checkVolumes(s, at, out);
    for (const env of Object.keys(s.env ?? {})) {
      if (GENERATED_ENV_NAMES.includes(env)) {
        out.atKey(`/services/${i}/env/${env}`, `services[${i}].env.${env} is set by the chart itself (${GENERATED_ENV_NAMES.join(', ')})`,
          'use another variable name; the generated value would be overridden or duplicated');
      }
    }
  });

  v.namespaces.forEach((ns, i) => checkLabels(ns.labels, `/namespaces/${i}/labels`, `namespaces[${i}].labels`, GENERATED_NAMESPACE_LABELS, out));

  // The chart's appVersion becomes the app.kubernetes.io/version label of every object.
  const explicit = v.chart?.appVersion;
  const appVersion = explicit ?? services[0]?.image?.tag;
  const problem = appVersion !== undefined ? labelValueProblem(appVersion) : undefined;
  if (appVersion !== undefined && problem) {
    out.atValue(explicit !== undefined ? '/chart/appVersion' : '/services/0/image/tag',
      `${explicit !== undefined ? 'chart.appVersion' : 'services[0].image.tag (the chart\'s appVersion)'} ${quoteForMessage(appVersion)} becomes the app.kubernetes.io/version label and ${problem}`,
      explicit !== undefined ? 'use a label-safe version, e.g. 1.4.2' : 'set chart.appVersion to a label-safe version, e.g. 1.4.2');
  }
}
