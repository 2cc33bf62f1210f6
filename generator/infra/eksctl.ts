/**
 * The eksctl ClusterConfig for a zonal cluster: one managed node group per declared zone (so every
 * zone keeps capacity and zone-local routing always has local endpoints), private node subnets,
 * and one NAT gateway per zone so egress to the internet does not cross zones either.
 */
import type { TopologyRouting } from '../model/types.js';
import { type Tag, tagsAs } from './aws.js';
import { nodeGroupName } from './names.js';
import { REGION_LABEL, ZONE_LABEL } from '../well-known.js';

export interface NodeGroupSizing {
  readonly instanceType: string;
  /** Nodes per zone at creation. */
  readonly desiredPerZone: number;
  readonly minPerZone: number;
  readonly maxPerZone: number;
  /** Root volume in GiB. */
  readonly volumeSize: number;
}

export const DEFAULT_SIZING: NodeGroupSizing = {
  instanceType: 'm6i.large',
  desiredPerZone: 1,
  minPerZone: 1,
  maxPerZone: 3,
  volumeSize: 50,
};

/** Addons every zonal cluster needs: pod networking, DNS, service proxy, pod identity for IAM. */
export const STANDARD_ADDONS = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'] as const;

export interface ManagedNodeGroup {
  readonly name: string;
  readonly instanceType: string;
  readonly availabilityZones: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly volumeSize: number;
  readonly privateNetworking: true;
  readonly labels: Readonly<Record<string, string>>;
  readonly propagateASGTags: true;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ClusterConfig {
  readonly apiVersion: 'eksctl.io/v1alpha5';
  readonly kind: 'ClusterConfig';
  readonly metadata: { readonly name: string; readonly region: string; readonly version: string; readonly tags: Readonly<Record<string, string>> };
  readonly availabilityZones: readonly string[];
  readonly iam: { readonly withOIDC: true };
  readonly vpc: {
    readonly nat: { readonly gateway: 'HighlyAvailable' };
    readonly clusterEndpoints: { readonly privateAccess: true; readonly publicAccess: boolean };
  };
  readonly addons: ReadonlyArray<{ readonly name: string; readonly version: 'latest' }>;
  readonly managedNodeGroups: readonly ManagedNodeGroup[];
}

export function validateSizing(s: NodeGroupSizing): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(s.instanceType)) problems.push(`instance type "${s.instanceType}" does not look like m6i.large`);
  if (s.minPerZone < 1) problems.push('each zone needs at least 1 node, or zone-local routing has nowhere local to go');
  if (s.desiredPerZone < s.minPerZone || s.desiredPerZone > s.maxPerZone) {
    problems.push(`nodes per zone ${s.desiredPerZone} must lie between min ${s.minPerZone} and max ${s.maxPerZone}`);
  }
  if (s.volumeSize < 20) problems.push(`volume size ${s.volumeSize} GiB is below the 20 GiB an EKS node image needs`);
  return problems;
}

export function eksctlClusterConfig(
  model: TopologyRouting,
  tags: readonly Tag[],
  sizing: NodeGroupSizing = DEFAULT_SIZING,
  publicEndpoint = true,
): ClusterConfig {
  const { cluster } = model;
  const tagMap = tagsAs(tags, 'map') as Record<string, string>;
  return {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: cluster.name, region: cluster.region, version: cluster.kubernetesVersion, tags: tagMap },
    availabilityZones: cluster.zones.map((z) => z.name),
    iam: { withOIDC: true },
    vpc: {
      nat: { gateway: 'HighlyAvailable' },
      clusterEndpoints: { privateAccess: true, publicAccess: publicEndpoint },
    },
    addons: STANDARD_ADDONS.map((name) => ({ name, version: 'latest' as const })),
    managedNodeGroups: cluster.zones.map((zone) => ({
      name: nodeGroupName(zone.name),
      instanceType: sizing.instanceType,
      // One AZ per group: a multi-AZ group lets the autoscaler drain a whole zone.
      availabilityZones: [zone.name],
      minSize: sizing.minPerZone,
      maxSize: sizing.maxPerZone,
      desiredCapacity: sizing.desiredPerZone,
      volumeSize: sizing.volumeSize,
      privateNetworking: true,
      // The kubelet sets these too; declaring them lets the cluster autoscaler scale a zone from
      // zero (propagateASGTags copies labels to ASG tags) and keeps the zone visible in eksctl.
      labels: {
        [REGION_LABEL]: cluster.region,
        [ZONE_LABEL]: zone.name,
      },
      propagateASGTags: true,
      tags: tagMap,
    })),
  };
}
