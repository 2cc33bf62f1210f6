/**
 * The report page as a Handlebars template (kept in a .ts module so the build ships it with the
 * code). Self-contained: inline CSS, SVG and script, and a Content-Security-Policy that forbids
 * every network fetch, so the page cannot depend on anything outside the file.
 */
import { LOAD_SECTION } from './load-view.js';

export const REPORT_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{{title}}</title>
<style>
  :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #f5f7fa; --accent: #2f6fde; --good: #1f8a4c; --bad: #c2410c; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
  header { background: #102a43; color: #fff; padding: 20px 32px; }
  header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
  header p { margin: 0; color: #bcccdc; }
  main { padding: 20px 32px 40px; max-width: 1280px; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin: 0 0 20px; }
  h2 { margin: 0 0 12px; font-size: 17px; }
  h3 { margin: 14px 0 6px; font-size: 15px; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; }
  .card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: #fbfcfe; }
  .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
  .card .value { font-size: 24px; font-weight: 600; margin-top: 2px; }
  .card.good .value { color: var(--good); }
  .maps { display: flex; flex-wrap: wrap; gap: 24px; }
  .map h3 { margin-top: 0; }
  svg text { font-family: inherit; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
  th.sortable { cursor: pointer; user-select: none; }
  th.sortable::after { content: " \\2195"; color: #9fb3c8; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr.dest:hover { background: #f0f4f8; }
  .muted { color: var(--muted); }
  .note { color: var(--bad); font-size: 13px; }
  .local { font-weight: 600; color: var(--good); }
  details summary { cursor: pointer; color: var(--accent); }
  .legend { display: flex; gap: 16px; color: var(--muted); font-size: 12px; margin-top: 6px; }
  .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -2px; margin-right: 4px; }
  footer { color: var(--muted); font-size: 12px; padding: 0 32px 24px; }
</style>
</head>
<body data-ready="false">
<header>
  <h1>{{title}}</h1>
  <p>{{zones.length}} zones in {{region}} ({{#each zones}}{{#unless @first}}, {{/unless}}{{this}}{{/each}}) &middot; dataplane {{dataplane}} &middot; generated {{generatedAt}}</p>
</header>
<main>
<section id="summary">
  <h2>Predicted monthly cross-zone traffic and cost</h2>
  <div class="cards">
    {{#each summary}}
    <div class="card{{#if (eq metric "savings-usd")}} good{{/if}}">
      <div class="label">{{label}}</div>
      <div class="value" data-metric="{{metric}}" data-value="{{value}}">{{display}}</div>
    </div>
    {{/each}}
  </div>
  <p class="muted">Before: locality routing off, so each zone's calls spread over every zone's endpoints. After: the routing the objects configure, as Istio assigns priorities and Envoy balances them.</p>
  <p class="muted" data-basis="predicted">Every number on this page not marked "measured" is predicted, from {{volumes}}.</p>
</section>

<section id="heatmaps">
  <h2>Predicted zone-to-zone traffic (GB per month, caller zone &rarr; endpoint zone)</h2>
  <p class="muted" data-basis="predicted">Predicted from {{volumes}}.</p>
  <div class="maps">
    {{#each heatmaps}}{{> heatmap}}{{/each}}
  </div>
  <div class="legend"><span><span class="swatch" style="background: hsl(145, 50%, 60%)"></span>same zone (free)</span><span><span class="swatch" style="background: hsl(14, 82%, 60%)"></span>cross zone (billed)</span><span>darker = more GB</span></div>
</section>
${LOAD_SECTION}
<section id="cost">
  <h2>Predicted monthly cost by destination ({{currency}})</h2>
  <p class="muted" data-basis="predicted">Predicted from {{volumes}}.</p>
  <svg role="img" aria-label="cost before and after per destination" width="720" height="{{bars.height}}" viewBox="0 0 720 {{bars.height}}">
    {{#each bars.items}}
    <g data-destination="{{label}}">
      <text x="180" y="{{labelY}}" text-anchor="end" font-size="13" fill="#1f2933">{{label}}</text>
      <rect x="190" y="{{before.y}}" width="{{before.w}}" height="18" rx="3" fill="#9fb3c8"></rect>
      <text x="{{before.textX}}" y="{{add before.y 14}}" font-size="12" fill="#616e7c" data-metric="bar-cost-before-usd" data-value="{{before.value}}">{{before.display}} before</text>
      <rect x="190" y="{{after.y}}" width="{{after.w}}" height="18" rx="3" fill="#2f6fde"></rect>
      <text x="{{after.textX}}" y="{{add after.y 14}}" font-size="12" fill="#1f2933" data-metric="bar-cost-after-usd" data-value="{{after.value}}">{{after.display}} after</text>
    </g>
    {{/each}}
  </svg>
</section>

<section id="destinations">
  <h2>Predicted, per destination</h2>
  <p class="muted" data-basis="predicted">Predicted from {{volumes}}.</p>
  <table id="destination-table">
    <thead><tr>
      <th class="sortable" data-sort="text">Destination</th><th class="sortable" data-sort="text">Type</th><th>Routing</th>
      <th class="sortable num" data-sort="num">Cross-zone GB before</th><th class="sortable num" data-sort="num">Cross-zone GB after</th>
      <th class="sortable num" data-sort="num">Cost before</th><th class="sortable num" data-sort="num">Cost after</th>
    </tr></thead>
    {{#each destinations}}
    <tbody class="dest-group" data-destination="{{name}}">
    <tr class="dest">
      <td><strong>{{name}}</strong><div class="muted">{{endpoints}}</div></td>
      <td>{{kind}}{{#if (ne kind "service")}} ({{type}}){{/if}}</td>
      <td>{{mode}}<div class="muted">{{routing}}</div></td>
      <td class="num" data-metric="{{crossGbBefore.metric}}" data-value="{{crossGbBefore.value}}">{{crossGbBefore.display}}</td>
      <td class="num" data-metric="{{crossGbAfter.metric}}" data-value="{{crossGbAfter.value}}">{{crossGbAfter.display}}</td>
      <td class="num" data-metric="{{costBefore.metric}}" data-value="{{costBefore.value}}">{{costBefore.display}}</td>
      <td class="num" data-metric="{{costAfter.metric}}" data-value="{{costAfter.value}}">{{costAfter.display}}</td>
    </tr>
    <tr class="detail"><td colspan="7">
      <details>
        <summary>Where each zone's calls go</summary>
        <table class="shares">
          <thead><tr><th>From zone</th><th class="num">GB/month</th>{{#each zones}}<th class="num">&rarr; {{this}}</th>{{/each}}<th class="num">cross-zone after</th><th class="num">before</th></tr></thead>
          <tbody>
          {{#each callers}}
          <tr data-caller="{{zone}}">
            <td>{{zone}}</td>
            <td class="num" data-metric="caller-gb" data-value="{{gbPerMonth.value}}">{{gbPerMonth.display}}</td>
            {{#each shares}}<td class="num{{#if local}} local{{/if}}" data-share-to="{{zone}}" data-value="{{value}}">{{display}}</td>{{/each}}
            <td class="num" data-metric="caller-cross-zone-after" data-value="{{crossAfter.value}}">{{crossAfter.display}}</td>
            <td class="num" data-metric="caller-cross-zone-before" data-value="{{crossBefore.value}}">{{crossBefore.display}}</td>
          </tr>
          {{/each}}
          </tbody>
        </table>
      </details>
      {{#each notes}}<div class="note">&#9888; {{this}}</div>{{/each}}
    </td></tr>
    </tbody>
    {{/each}}
  </table>
</section>

{{#if measured}}
<section id="measured">
  <h2>Measured (VPC flow logs) vs predicted</h2>
  <p class="muted">{{measured.files.length}} file(s): {{#each measured.files}}{{#unless @first}}, {{/unless}}{{this}}{{/each}}. Time window: {{measured.window}}.</p>
  {{#each measured.overlaps}}<div class="note" data-overlap>&#9888; {{this}}</div>{{/each}}
  <table id="comparison">
    <thead><tr><th></th><th class="num">Predicted (after)</th><th class="num">Measured</th></tr></thead>
    <tbody>
    {{#each measured.comparison}}
    <tr><td>{{label}}</td>
      <td class="num" data-metric="{{predicted.metric}}" data-value="{{predicted.value}}" title="{{predicted.label}}">{{predicted.display}}</td>
      <td class="num" data-metric="{{measured.metric}}" data-value="{{measured.value}}" title="{{measured.label}}">{{measured.display}}</td></tr>
    {{/each}}
    </tbody>
  </table>
  <p class="muted" id="basis"><span data-basis="predicted">Predicted: {{measured.predictedBasis}}.</span> <span data-basis="measured">Measured: {{measured.measuredBasis}}.</span></p>
  <div class="maps" style="margin-top: 16px">
    {{#with measured.heatmap}}{{> heatmap}}{{/with}}
    <div>
      <h3>Measured totals in the logs (the window, not scaled)</h3>
      <table>
        <tbody>
        {{#each measured.metrics}}
        <tr><td>{{label}}</td><td class="num" data-metric="{{metric}}" data-value="{{value}}">{{display}}</td></tr>
        {{/each}}
        </tbody>
      </table>
    </div>
  </div>
</section>
{{/if}}
</main>
<footer>Prices: {{prices}}. Generated by zonal; the numbers are also embedded below as JSON (script#zonal-data).</footer>
<script type="application/json" id="zonal-data">{{{json data}}}</script>
<script>
(function () {
  var table = document.getElementById('destination-table');
  if (table) {
    var headers = table.querySelectorAll('th.sortable');
    headers.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.getAttribute('data-sort') === 'num';
        var asc = th.getAttribute('data-dir') !== 'asc';
        headers.forEach(function (h) { h.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', asc ? 'asc' : 'desc');
        var groups = Array.prototype.slice.call(table.querySelectorAll('tbody.dest-group'));
        groups.sort(function (a, b) {
          var ca = a.querySelector('tr.dest').children[index];
          var cb = b.querySelector('tr.dest').children[index];
          var va = numeric ? Number(ca.getAttribute('data-value')) : ca.textContent.trim();
          var vb = numeric ? Number(cb.getAttribute('data-value')) : cb.textContent.trim();
          var r = numeric ? va - vb : String(va).localeCompare(String(vb));
          return asc ? r : -r;
        });
        groups.forEach(function (g) { table.appendChild(g); });
      });
    });
  }
  var data = JSON.parse(document.getElementById('zonal-data').textContent);
  document.body.setAttribute('data-destinations', String(data.simulation.destinations.length));
  document.body.setAttribute('data-ready', 'true');
})();
</script>
</body>
</html>
`;

/** One zone-to-zone matrix as an SVG heatmap (a Handlebars partial). */
export const HEATMAP_PARTIAL = `<div class="map" data-matrix="{{id}}">
  <h3>{{title}}</h3>
  <svg role="img" aria-label="{{title}}" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}">
    <text x="{{axisTo.x}}" y="{{axisTo.y}}" text-anchor="middle" font-size="12" fill="#616e7c">to endpoint zone &rarr;</text>
    <text x="{{axisFrom.x}}" y="{{axisFrom.y}}" font-size="12" fill="#616e7c">from &darr;</text>
    {{#each cols}}<text x="{{x}}" y="{{y}}" text-anchor="middle" font-size="12" fill="#1f2933">{{text}}</text>{{/each}}
    {{#each rows}}<text x="{{x}}" y="{{y}}" text-anchor="end" font-size="12" fill="#1f2933">{{text}}</text>{{/each}}
    {{#each cells}}
    <g class="cell" data-from="{{from}}" data-to="{{to}}" data-gb="{{value}}" data-same-zone="{{same}}">
      <title>{{from}} &rarr; {{to}}: {{display}}{{#if sub}} ({{sub}} of {{from}}'s traffic){{/if}}</title>
      <rect x="{{x}}" y="{{y}}" width="{{w}}" height="{{h}}" rx="4" fill="{{fill}}" stroke="#d9e2ec"></rect>
      <text x="{{add x (half w)}}" y="{{add y 20}}" text-anchor="middle" font-size="13" font-weight="600" fill="{{textFill}}">{{display}}</text>
      <text x="{{add x (half w)}}" y="{{add y 36}}" text-anchor="middle" font-size="11" fill="{{textFill}}">{{sub}}</text>
    </g>
    {{/each}}
  </svg>
</div>`;
