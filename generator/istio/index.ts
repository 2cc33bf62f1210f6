/**
 * The Istio semantics core: the one place that says what istiod does with a set of objects, for
 * Istio 1.29 to 1.32. lint, simulate and the generate gate are built on it; no Istio rule lives
 * anywhere else.
 */
export * from './versions.js';
export * from './hosts.js';
export * from './locality.js';
export * from './loadbalancer.js';
export * from './mesh.js';
export * from './validation.js';
export * from './protocols.js';
export * from './analyzers.js';
export * from './service-entries.js';
export * from './policy-scopes.js';
