/**
 * istiod's load-balancer semantics live in the Istio core (generator/istio/); simulate re-exports
 * them for its own modules.
 */
export * from '../istio/loadbalancer.js';
