/**
 * The cost model: monthly GB by destination type -> USD. Pure; the rates come from a PriceList
 * (prices.ts, optionally overridden with --prices).
 */
import type { ExternalHostType } from '../model/types.js';
import { PRICES } from './prices.js';

/** `service` is in-cluster pod-to-pod traffic; the rest are ExternalHost types. */
export type CostDestinationType = 'service' | ExternalHostType;

export interface TypeRates {
  /** 2: both sides pay the cross-AZ rate; 0: no inter-AZ transfer charge. */
  readonly crossAzSidesBilled: number;
  /** Charged on every GB, whatever zone it crosses (PrivateLink processing). */
  readonly processingUsdPerGb: number;
}

export interface PriceList {
  readonly currency: string;
  readonly source: string;
  readonly crossAzUsdPerGbPerSide: number;
  readonly destinationTypes: Readonly<Record<CostDestinationType, TypeRates>>;
}

export const DEFAULT_PRICES: PriceList = PRICES;

/** Traffic to one destination (or a sum of destinations of one type) in GB per month. */
export interface Flow {
  readonly type: CostDestinationType;
  readonly totalGb: number;
  readonly crossZoneGb: number;
}

export interface CostLine {
  /** GB per month that crosses a zone boundary, billed or not. */
  readonly crossZoneGbPerMonth: number;
  /** The part of crossZoneGbPerMonth that carries a transfer charge. */
  readonly billableCrossZoneGbPerMonth: number;
  readonly transferUsdPerMonth: number;
  readonly processingUsdPerMonth: number;
  /** transfer + processing. */
  readonly usdPerMonth: number;
}

export const ZERO_COST: CostLine = { crossZoneGbPerMonth: 0, billableCrossZoneGbPerMonth: 0, transferUsdPerMonth: 0, processingUsdPerMonth: 0, usdPerMonth: 0 };

/** Money in cents precision, so sums and displays agree. */
export function roundUsd(v: number): number {
  return Math.round(v * 100) / 100;
}

/** GB with 3 decimals (MB precision) for output. */
export function roundGb(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export function costOfFlow(flow: Flow, prices: PriceList = DEFAULT_PRICES): CostLine {
  const rates = prices.destinationTypes[flow.type] ?? prices.destinationTypes.other;
  const billable = rates.crossAzSidesBilled > 0 ? flow.crossZoneGb : 0;
  const transfer = billable * prices.crossAzUsdPerGbPerSide * rates.crossAzSidesBilled;
  const processing = flow.totalGb * rates.processingUsdPerGb;
  return {
    crossZoneGbPerMonth: flow.crossZoneGb,
    billableCrossZoneGbPerMonth: billable,
    transferUsdPerMonth: transfer,
    processingUsdPerMonth: processing,
    usdPerMonth: transfer + processing,
  };
}

export function addCost(a: CostLine, b: CostLine): CostLine {
  return {
    crossZoneGbPerMonth: a.crossZoneGbPerMonth + b.crossZoneGbPerMonth,
    billableCrossZoneGbPerMonth: a.billableCrossZoneGbPerMonth + b.billableCrossZoneGbPerMonth,
    transferUsdPerMonth: a.transferUsdPerMonth + b.transferUsdPerMonth,
    processingUsdPerMonth: a.processingUsdPerMonth + b.processingUsdPerMonth,
    usdPerMonth: a.usdPerMonth + b.usdPerMonth,
  };
}

/** The cost of a list of flows; rounded for output (GB to MB, USD to cents). */
export function costOf(flows: readonly Flow[], prices: PriceList = DEFAULT_PRICES): CostLine {
  const sum = flows.map((f) => costOfFlow(f, prices)).reduce(addCost, ZERO_COST);
  return {
    crossZoneGbPerMonth: roundGb(sum.crossZoneGbPerMonth),
    billableCrossZoneGbPerMonth: roundGb(sum.billableCrossZoneGbPerMonth),
    transferUsdPerMonth: roundUsd(sum.transferUsdPerMonth),
    processingUsdPerMonth: roundUsd(sum.processingUsdPerMonth),
    usdPerMonth: roundUsd(sum.usdPerMonth),
  };
}
