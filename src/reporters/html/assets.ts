/** The report's inline style and script. The script is static: no scanned text ever enters it. */

export const STYLE = `
:root{--critical:#991b1b;--high:#c2410c;--medium:#a16207;--low:#1d4ed8;--border:#d4d4d8;--muted:#52525b}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:24px;color:#18181b;background:#fff}
h1{margin:0 0 4px}h2{margin-top:32px;border-bottom:1px solid var(--border);padding-bottom:4px}
.muted{color:var(--muted)}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid var(--border);border-radius:8px;padding:10px 16px;min-width:110px}
.card .n{font-size:26px;font-weight:700;display:block}
.card.critical .n{color:var(--critical)}.card.high .n{color:var(--high)}.card.medium .n{color:var(--medium)}.card.low .n{color:var(--low)}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid var(--border);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f5}
th.sortable{cursor:pointer;user-select:none}
th.sortable::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending]::after{content:" \\2191"}th[aria-sort=descending]::after{content:" \\2193"}
td.num,th.num{text-align:right}
.sev{font-weight:700;text-transform:uppercase;font-size:12px}
.sev.critical{color:var(--critical)}.sev.high{color:var(--high)}.sev.medium{color:var(--medium)}.sev.low{color:var(--low)}
.badge{display:inline-block;font-size:11px;border-radius:4px;padding:0 4px;background:#dcfce7;color:#166534}
.filters{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:8px 0}
.filters input[type=search]{min-width:280px;padding:4px 8px}
code{background:#f4f4f5;padding:0 3px;border-radius:3px}
.rule{border:1px solid var(--border);border-radius:8px;padding:4px 16px;margin:12px 0}
.graph-wrap{overflow-x:auto;border:1px solid var(--border);border-radius:8px;padding:8px}
svg.graph text{font:12px system-ui,sans-serif;fill:#18181b}
svg.graph text.col{font-weight:700;fill:var(--muted)}
svg.graph .edge{fill:none;stroke:#a1a1aa;stroke-width:1.5}
svg.graph rect{fill:#f4f4f5;stroke:#71717a}
svg.graph .c1 rect{fill:#eef2ff}
svg.graph .sev-critical rect{fill:#fee2e2;stroke:var(--critical)}
svg.graph .sev-high rect{fill:#ffedd5;stroke:var(--high)}
svg.graph .sev-medium rect{fill:#fef9c3;stroke:var(--medium)}
svg.graph .sev-low rect{fill:#dbeafe;stroke:var(--low)}
tr[hidden],details[hidden]{display:none}
header .meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
header .meta dt{color:var(--muted)}header .meta dd{margin:0;overflow-wrap:anywhere}
details.cluster{border:1px solid var(--border);border-radius:8px;padding:4px 12px;margin:8px 0}
details.cluster>summary{cursor:pointer;padding:4px 0}
details.cluster .group-name{font-weight:700}
details.cluster h4{margin:8px 0 0}
details.graph>summary{cursor:pointer;color:var(--muted);margin:4px 0}
table.identities{table-layout:fixed}
table.identities td{overflow-wrap:anywhere}
table.identities th:nth-child(1),table.identities th:nth-child(3),table.identities th:nth-child(4){width:21%}
table.identities th:nth-child(2){width:11%}
details.more>summary{cursor:pointer;color:var(--muted);margin:4px 0}
.table-scroll{max-height:80vh;overflow:auto;border:1px solid var(--border)}
.table-scroll table{margin:0}
.table-scroll thead th{position:sticky;top:0;z-index:1}
@media print{.filters{display:none}.table-scroll{max-height:none;overflow:visible}}
`;

export const SCRIPT = `
(function () {
  var map = document.getElementById('identities');
  if (!map) return;
  var search = document.getElementById('identity-filter');
  var all = document.getElementById('identity-all');
  var shown = document.getElementById('identity-shown');
  var groups = Array.prototype.slice.call(map.querySelectorAll('details.cluster'));
  function apply() {
    var q = search.value.trim().toLowerCase();
    var n = 0;
    groups.forEach(function (group) {
      var visible = 0;
      Array.prototype.forEach.call(group.querySelectorAll('tbody tr'), function (row) {
        var ok = (all.checked || row.getAttribute('data-findings') !== '0') &&
          (!q || row.textContent.toLowerCase().indexOf(q) !== -1 || group.querySelector('summary').textContent.toLowerCase().indexOf(q) !== -1);
        row.hidden = !ok;
        if (ok) visible++;
      });
      group.hidden = visible === 0;
      if (q && visible > 0) group.open = true;
      n += visible;
    });
    shown.textContent = String(n);
  }
  search.addEventListener('input', apply);
  all.addEventListener('change', apply);
})();
(function () {
  var table = document.getElementById('findings');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById('filter-text');
  var severity = document.getElementById('filter-severity');
  var onlyNew = document.getElementById('filter-new');
  var shown = document.getElementById('shown-count');
  function apply() {
    var q = text.value.trim().toLowerCase();
    var s = severity.value;
    var n = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) !== -1) &&
        (!s || row.getAttribute('data-severity') === s) &&
        (!onlyNew || !onlyNew.checked || row.getAttribute('data-baseline') === 'new');
      row.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  function sortBy(th, index) {
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir);
    var sign = dir === 'ascending' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute('data-sort') || a.cells[index].textContent;
      var y = b.cells[index].getAttribute('data-sort') || b.cells[index].textContent;
      return sign * x.localeCompare(y, undefined, { numeric: true });
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
    th.classList.add('sortable');
    th.tabIndex = 0;
    th.addEventListener('click', function () { sortBy(th, index); });
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sortBy(th, index); });
  });
  text.addEventListener('input', apply);
  severity.addEventListener('change', apply);
  if (onlyNew) onlyNew.addEventListener('change', apply);
  apply();
})();
`;
