import type { ScanResult } from '../engine/result.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderHtml } from './html.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import { renderJunit } from './junit.js';
import { renderGitlab } from './gitlab.js';
import { renderCsv } from './csv.js';
import { renderAsff } from './asff.js';

import type { ReportFormat } from './formats.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

export interface RenderOptions {
  /** Table only: emit ANSI colours. */
  color?: boolean;
  /** Table only: the terminal's columns. */
  width?: number;
  /** When the scan ran (GitLab's scan times, Security Hub's finding times); default: now. */
  startedAt?: Date;
  finishedAt?: Date;
  /** Security Hub only: the account and region to file findings in (else AWS_ACCOUNT_ID, AWS_REGION / AWS_DEFAULT_REGION). */
  asffAccount?: string;
  asffRegion?: string;
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
      return renderHtml(result, opts.startedAt ? { startedAt: opts.startedAt } : {});
    case 'table':
      return renderTable(result, { color: opts.color ?? false, width: opts.width ?? 80 });
    case 'junit':
      return renderJunit(result);
    case 'gitlab':
      return renderGitlab(result, { ...(opts.startedAt ? { startedAt: opts.startedAt } : {}), ...(opts.finishedAt ? { finishedAt: opts.finishedAt } : {}) });
    case 'csv':
      return renderCsv(result);
    case 'asff':
      return renderAsff(result, { ...(opts.asffAccount ? { account: opts.asffAccount } : {}), ...(opts.asffRegion ? { region: opts.asffRegion } : {}), ...(opts.finishedAt ? { finishedAt: opts.finishedAt } : {}) });
  }
}

export { renderHtml, renderJson, renderMarkdown, renderSarif, renderTable, renderJunit, renderGitlab, renderCsv, renderAsff };
export { buildSarif } from './sarif.js';
export { sanitizeTerminal } from './sanitize.js';
