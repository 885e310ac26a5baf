/** A rule's message templates (`meta.messages`) filled with a report's data. */
import type { Report, RuleMeta } from './rule-api.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The text of a report: its `message`, or its `messageId`'s template with every placeholder
 * filled. An id the rule does not declare, or a placeholder without data, is the rule's bug: it throws.
 */
export function reportMessage(meta: RuleMeta, r: Report): string {
  if (r.messageId === undefined) return r.message;
  const template = meta.messages?.[r.messageId];
  if (template === undefined) throw new Error(`messageId ${r.messageId} is not one of the rule's meta.messages`);
  const data = r.data ?? {};
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`message ${r.messageId} has no data for {{${name}}}`);
    return String(value);
  });
}
