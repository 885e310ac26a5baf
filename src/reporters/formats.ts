/** Every report format, and the file extension a report of it gets. Kept apart from the reporters so choosing one loads none. */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'markdown', 'html', 'junit', 'gitlab', 'csv', 'asff'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_EXTENSION: Readonly<Record<ReportFormat, string>> = {
  table: 'txt',
  json: 'json',
  sarif: 'sarif',
  markdown: 'md',
  html: 'html',
  junit: 'xml',
  gitlab: 'json',
  csv: 'csv',
  asff: 'json',
};
