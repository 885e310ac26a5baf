import type { Severity } from '../model/types.js';

export type Paint = (text: string) => string;

const style =
  (open: string): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[0m`;

const plain: Paint = (text) => text;

export interface Palette {
  severity: Record<Severity, Paint>;
  level: Record<'error' | 'warning' | 'note', Paint>;
  bold: Paint;
  dim: Paint;
}

export function palette(color: boolean): Palette {
  if (!color) {
    return {
      severity: { critical: plain, high: plain, medium: plain, low: plain },
      level: { error: plain, warning: plain, note: plain },
      bold: plain,
      dim: plain,
    };
  }
  return {
    severity: { critical: style('1;31'), high: style('31'), medium: style('33'), low: style('36') },
    level: { error: style('31'), warning: style('33'), note: style('2') },
    bold: style('1'),
    dim: style('2'),
  };
}
