import type { ScanResult } from '../engine/result.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export type ReportFormat = 'sarif' | 'json' | 'table' | 'markdown' | 'html';

export interface RenderOptions {
  /** Table only: emit ANSI colours. */
  color?: boolean;
  /** Table only: the terminal's columns. */
  width?: number;
}

export function render(format: ReportFormat, result: ScanResult, opts: RenderOptions = {}): string {
  switch (format) {
    case 'sarif':
      return renderSarif(result);
    case 'json':
      return renderJson(result);
    case 'markdown':
      return renderMarkdown(result);
    case 'html':
      return renderHtml(result);
    case 'table':
      return renderTable(result, { color: opts.color ?? false, width: opts.width ?? 80 });
  }
}

export { renderHtml, renderJson, renderMarkdown, renderSarif, renderTable };
export { buildSarif } from './sarif.js';
export { sanitizeTerminal } from './sanitize.js';
