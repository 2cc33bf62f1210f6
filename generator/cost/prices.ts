/**
 * THE price list (AWS, us-east-1/us-west-2 list prices). Data only: every rate the cost model uses
 * lives here, and `--prices FILE` (JSON or YAML, same shape, any subset) overrides it.
 *
 * - Cross-AZ transfer inside a region: $0.01/GB out of one AZ and $0.01/GB into the other, so a GB
 *   that crosses costs $0.02 for pod-to-pod, EC2/RDS/MSK client traffic.
 * - Interface VPC endpoints (PrivateLink): no inter-AZ transfer charge since April 2022; $0.01/GB
 *   processed (first PB per month), whatever zone it came from.
 * - Gateway VPC endpoints (S3, DynamoDB): free.
 */
export const PRICES = {
  currency: 'USD',
  source: 'AWS list prices: EC2 data transfer within a region, AWS PrivateLink pricing (checked 2025)',
  /** Billed per GB that crosses an AZ boundary, for each side that is billed. */
  crossAzUsdPerGbPerSide: 0.01,
  /** Per destination type: how many sides pay the cross-AZ rate, and any per-GB processing charge. */
  destinationTypes: {
    service: { crossAzSidesBilled: 2, processingUsdPerGb: 0 },
    rds: { crossAzSidesBilled: 2, processingUsdPerGb: 0 },
    msk: { crossAzSidesBilled: 2, processingUsdPerGb: 0 },
    ec2: { crossAzSidesBilled: 2, processingUsdPerGb: 0 },
    'interface-endpoint': { crossAzSidesBilled: 0, processingUsdPerGb: 0.01 },
    'gateway-endpoint': { crossAzSidesBilled: 0, processingUsdPerGb: 0 },
    other: { crossAzSidesBilled: 2, processingUsdPerGb: 0 },
  },
} as const;
