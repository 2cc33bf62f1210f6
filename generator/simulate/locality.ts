/** Localities live in the Istio core; simulate re-exports them for its own modules. */
export * from '../istio/locality.js';
