import { UNKNOWN_ZONE, type ZoneInfo } from './zone.js';

/** The little the request handlers need to know about the process: its zone and its phase. */
export class ServiceState {
  zone: ZoneInfo = UNKNOWN_ZONE;
  /** False until discovery has finished, successfully or not (bounded by the IMDS timeouts). */
  zoneSettled = false;
  /** True from SIGTERM on: readiness fails so the endpoint is removed while in-flight work ends. */
  draining = false;

  get ready(): boolean {
    return this.zoneSettled && !this.draining;
  }
}
