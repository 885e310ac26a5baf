/** The rule catalog, for `podtrust rules`, the README and the rule docs: all from rule metadata. */
import { severityLabel, type RuleMeta } from '../engine/rule-api.js';
import { palette } from '../reporters/ansi.js';
import { drawGrid, type GridCell } from '../reporters/grid.js';
import { wrapText } from '../reporters/wrap.js';

function byProviderThenId(a: RuleMeta, b: RuleMeta): number {
  if (a.provider !== b.provider) return a.provider < b.provider ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function renderRuleCatalog(rules: RuleMeta[], format: 'table' | 'json' | 'markdown', opts: { color: boolean; width: number }): string {
  const sorted = [...rules].sort(byProviderThenId);
  if (format === 'json') {
    return JSON.stringify(sorted.map(({ id, title, severity, lowestSeverity, provider, description, remediation, references, tags }) => ({ id, title, severity, ...(lowestSeverity ? { lowestSeverity } : {}), provider, description, remediation, references, tags: tags ?? [] })), null, 2) + '\n';
  }
  if (format === 'markdown') return ruleListMarkdown(sorted);
  const idWidth = Math.max(...sorted.map((r) => r.id.length), 2);
  // Rule id, severity, provider; the title takes what they and the borders leave.
  const severityWidth = Math.max(8, ...sorted.map((r) => severityLabel(r).length));
  const widths = [idWidth, severityWidth, 10, Math.max(18, opts.width - idWidth - severityWidth - 26)];
  const cells = (texts: string[]): GridCell[] => texts.map((text, column) => ({ lines: wrapText(text, widths[column]!) }));
  const head = cells(['rule', 'severity', 'provider', 'title']).map((cell) => ({ ...cell, paint: palette(opts.color).bold }));
  const table = drawGrid(head, sorted.map((r) => cells([r.id, severityLabel(r), r.provider, r.title])), widths, { rowRules: false });
  return `${table}\n${sorted.length} rules\n`;
}

/** The rule list as Markdown: the README's section and `podtrust rules --format markdown`. */
export function ruleListMarkdown(rules: RuleMeta[]): string {
  const lines = ['| Rule | Severity | Provider | What it finds |', '|---|---|---|---|'];
  for (const r of [...rules].sort(byProviderThenId)) {
    lines.push(`| [\`${r.id}\`](docs/rules/${r.id}.md) | ${severityLabel(r)} | ${r.provider} | ${r.title.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}

/** One rule's documentation page. */
export function ruleDoc(rule: RuleMeta): string {
  const out = [
    `# ${rule.id}`,
    '',
    `**${rule.title}**`,
    '',
    `Severity: **${severityLabel(rule)}**${rule.lowestSeverity ? ' (graded by context: each finding says which)' : ''} · Provider: ${rule.provider}${rule.tags?.length ? ` · Tags: ${rule.tags.join(', ')}` : ''}`,
    '',
    '## Why it matters',
    '',
    rule.description.trim(),
    '',
    '## How to fix it',
    '',
    rule.remediation.trim(),
    '',
  ];
  if (rule.messages) {
    out.push('## What a finding says', '', 'Each finding has one of these messages (`messageId` in the fixtures); `{{name}}` is filled from the finding.', '');
    for (const [id, template] of Object.entries(rule.messages)) out.push(`- \`${id}\`: ${template}`);
    out.push('');
  }
  if (rule.examples?.bad) out.push('## Example that is reported', '', '```', rule.examples.bad.trimEnd(), '```', '');
  if (rule.examples?.good) out.push('## Example that passes', '', '```', rule.examples.good.trimEnd(), '```', '');
  if (rule.references.length > 0) {
    out.push('## References', '');
    for (const ref of rule.references) out.push(`- ${ref}`);
    out.push('');
  }
  out.push(`Suppress with a reason: annotation \`podtrust.io/ignore.${rule.id}: "<reason>"\`, a comment \`# podtrust:ignore ${rule.id} <reason>\` on the line before the block, or an \`ignore\` entry in \`.podtrust.yaml\`.`, '');
  return out.join('\n');
}

export const README_RULES_START = '<!-- rules:start (generated from rule metadata: npm run gen) -->';
export const README_RULES_END = '<!-- rules:end -->';

/** The README with its rule section replaced by the generated list. */
export function readmeWithRules(readme: string, rules: RuleMeta[]): string {
  const start = readme.indexOf(README_RULES_START);
  const end = readme.indexOf(README_RULES_END);
  if (start < 0 || end < start) return readme;
  return readme.slice(0, start + README_RULES_START.length) + '\n' + ruleListMarkdown(rules) + readme.slice(end);
}
