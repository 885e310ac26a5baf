/** Draws the identity graph as inline SVG: three columns (ServiceAccounts, identities, findings). */
import type { IdentityGraph } from './identity-map.js';
import { escapeHtml } from './escape.js';
import { cutText } from '../../util/input-text.js';

const COLUMN_WIDTH = 300;
const NODE_WIDTH = 250;
const NODE_HEIGHT = 30;
const ROW_GAP = 14;
const TOP = 34;
const MAX_LABEL = 36;
const HEADINGS = ['ServiceAccount', 'Cloud identity (can do)', 'Findings'];


export function graphSvg(graph: IdentityGraph): string {
  const place = new Map<string, { x: number; y: number }>();
  const perColumn = [0, 0, 0];
  for (const node of graph.nodes) {
    const row = perColumn[node.column]!++;
    place.set(node.key, { x: 10 + node.column * COLUMN_WIDTH, y: TOP + row * (NODE_HEIGHT + ROW_GAP) });
  }
  const rows = Math.max(1, ...perColumn);
  const width = 10 + 2 * COLUMN_WIDTH + NODE_WIDTH + 10;
  const height = TOP + rows * (NODE_HEIGHT + ROW_GAP);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" aria-label="Identity graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    ...HEADINGS.map((h, i) => `<text class="col" x="${10 + i * COLUMN_WIDTH}" y="18">${h}</text>`),
  ];
  for (const e of graph.edges) {
    const a = place.get(e.from);
    const b = place.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_WIDTH;
    const y1 = a.y + NODE_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_HEIGHT / 2;
    const mid = (x1 + x2) / 2;
    parts.push(`<path class="edge" d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}"/>`);
  }
  for (const node of graph.nodes) {
    const p = place.get(node.key)!;
    const cls = `node c${node.column}${node.severity ? ` sev-${node.severity}` : ''}`;
    parts.push(
      `<g class="${cls}"><title>${escapeHtml(node.label)}</title>` +
        `<rect x="${p.x}" y="${p.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="${node.column === 2 ? 14 : 4}"/>` +
        `<text x="${p.x + 8}" y="${p.y + 19}">${escapeHtml(cutText(node.label, MAX_LABEL))}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
