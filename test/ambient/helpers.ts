import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { parseValues } from '../../generator/model/load-values.js';
import type { TopologyRouting } from '../../generator/model/types.js';
import { REPO } from '../support/helm.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const AMBIENT_VALUES = join(REPO, 'values', 'octank-travel-ambient.yaml');
export const SIDECAR_VALUES = join(REPO, 'values', 'octank-travel.yaml');

/** The bundled ambient example as a plain tree, for a test to change. */
export function ambientTree(): Any {
  return load(readFileSync(AMBIENT_VALUES, 'utf8')) as Any;
}

export function modelOf(tree: Any, file = 'test.yaml'): TopologyRouting {
  return parseValues(dump(tree), file);
}

/** The ambient example with the waypoint switched off. */
export function withoutWaypoint(tree: Any = ambientTree()): Any {
  delete tree.namespaces[0].waypoint;
  return tree;
}
