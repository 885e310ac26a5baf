/** `text` split at each `separator` that is not inside a `open`…`close` pair (`a.[b.c].d` at `.` outside `[]`). */
export function splitOutside(text: string, separator: string, open: string, close: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === open) depth++;
    if (ch === close) depth--;
    if (ch === separator && depth === 0) (out.push(cur), (cur = ''));
    else cur += ch;
  }
  out.push(cur);
  return out;
}
