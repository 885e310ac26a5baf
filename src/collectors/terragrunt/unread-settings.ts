/**
 * Settings of a unit that change what its module receives, which podtrust does not read: variable
 * files and `-var` arguments passed through `extra_arguments`, includes nested in an included file.
 * They are named, so a value the module takes from them is never mistaken for its default.
 */
import type { CoverageNote } from '../../model/types.js';
import type { TerragruntConfig } from './config.js';

const VARIABLE_ATTRIBUTES = ['required_var_files', 'optional_var_files', 'env_vars', 'arguments'];

export function unreadSettings(configs: TerragruntConfig[], unitName: string): CoverageNote[] {
  const notes: CoverageNote[] = [];
  for (const config of configs) {
    // A file many units include is named once, not once per unit.
    const who = config.role === 'unit' ? `Terragrunt unit ${unitName}` : 'Terragrunt';
    for (const block of config.terraform?.body.blocks ?? []) {
      if (block.type !== 'extra_arguments') continue;
      const found = block.body.attributes.filter((a) => VARIABLE_ATTRIBUTES.includes(a.name) && (a.name !== 'arguments' || /-var\b|-var-file\b/.test(a.expr.text)) && (a.name !== 'env_vars' || /TF_VAR_/.test(a.expr.text)));
      for (const a of found) {
        notes.push({ kind: 'unsupported', level: 'warning', file: a.file, line: a.pos.line, message: `${who}: extra_arguments "${block.labels[0] ?? ''}" ${a.name} is not read; the variables it sets are not seen by podtrust` });
      }
    }
    if (config.role === 'included') {
      for (const include of config.includes) {
        notes.push({ kind: 'unsupported', level: 'warning', file: include.file, line: include.pos.line, message: `${who}: an include inside an included file is not followed (Terragrunt includes one level)` });
      }
    }
  }
  return notes;
}
