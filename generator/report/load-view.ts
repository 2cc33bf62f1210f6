/**
 * The report's "Load per endpoint" panel, next to the heatmaps: per destination one bar per zone
 * (per-endpoint share of calls against the mean; hot zones marked) and the remedies to even it.
 */
import type { DestinationResult } from '../simulate/engine.js';
import { zoneLoadRows } from '../simulate/load-format.js';
import { remedyText } from '../simulate/load.js';

export interface LoadBarView {
  readonly zone: string;
  readonly y: number;
  readonly textY: number;
  readonly w: number;
  readonly ratio: number;
  readonly display: string;
  readonly hot: boolean;
  readonly fill: string;
}

export interface LoadView {
  readonly destination: string;
  readonly height: number;
  /** x of the mean (1.00x) line. */
  readonly meanX: number;
  readonly bars: readonly LoadBarView[];
  readonly hotZones: readonly string[];
  readonly remedies: readonly string[];
}

const X0 = 120;
const UNIT = 120;
const MAX_RATIO = 3;
const ROW_H = 24;

export function loadViews(destinations: readonly DestinationResult[], region: string): LoadView[] {
  return destinations.map((d) => {
    const rows = zoneLoadRows(d);
    return {
      destination: d.name,
      height: rows.length * ROW_H + 8,
      meanX: X0 + UNIT,
      bars: rows.map((r, i) => ({
        zone: r.zone,
        y: 4 + i * ROW_H,
        textY: 4 + i * ROW_H + 13,
        w: Math.max(r.ratio > 0 ? 2 : 0, Math.min(MAX_RATIO, r.ratio) * UNIT),
        ratio: Math.round(r.ratio * 100) / 100,
        display: `${r.ratio.toFixed(2)}x (${(r.callShare * 100).toFixed(1)}% of calls on ${r.ready})`,
        hot: r.hot,
        fill: r.hot ? '#d64545' : '#2f6fde',
      })),
      hotZones: d.hotZones,
      remedies: d.remedies.map((rem) => remedyText(rem, region)),
    };
  });
}

/** The Handlebars section (inserted after the heatmaps). */
export const LOAD_SECTION = `
<section id="load">
  <h2>Predicted load per endpoint (share of calls per endpoint, x the mean)</h2>
  <p class="muted">Zone-local routing keeps calls in their zone whatever the pods per zone; a zone with more callers than pods runs hot. The line marks the mean (1.00x).</p>
  <p class="muted" data-basis="predicted">Predicted from the endpoints per zone and {{volumes}}.</p>
  <div class="maps">
  {{#each load}}
  <figure data-load-destination="{{destination}}">
    <figcaption><strong>{{destination}}</strong>{{#if hotZones.length}} &middot; hot: {{#each hotZones}}{{#unless @first}}, {{/unless}}{{this}}{{/each}}{{/if}}</figcaption>
    <svg role="img" aria-label="load per endpoint of {{destination}}" width="520" height="{{height}}" viewBox="0 0 520 {{height}}">
      {{#each bars}}
      <g data-zone="{{zone}}" data-hot="{{hot}}">
        <text x="112" y="{{textY}}" text-anchor="end" font-size="12" fill="#1f2933">{{zone}}</text>
        <rect x="120" y="{{y}}" width="{{w}}" height="16" rx="3" fill="{{fill}}"></rect>
        <text x="{{add w 126}}" y="{{textY}}" font-size="12" fill="#1f2933" data-metric="load-ratio" data-value="{{ratio}}">{{display}}{{#if hot}} HOT{{/if}}</text>
      </g>
      {{/each}}
      <line x1="{{meanX}}" x2="{{meanX}}" y1="0" y2="{{height}}" stroke="#616e7c" stroke-dasharray="3 3"></line>
    </svg>
    {{#if remedies.length}}<ul class="remedies">{{#each remedies}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
  </figure>
  {{/each}}
  </div>
</section>
`;
