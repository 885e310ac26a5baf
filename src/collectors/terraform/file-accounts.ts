/** The input ledger's entries for the Terraform and OpenTofu files of a collection, in either syntax. */
import { type CollectResult, type SourceFile, account } from '../types.js';
import type { ParsedFile } from './ast.js';
import { terraformFormat } from './file-kinds.js';

/**
 * A file read is `analysed`; a file left out because a `.tofu` file replaces it is not accounted
 * here (OpenTofu excludes it; its note says so), nor is one that did not parse (its error note does).
 */
export function accountTerraformFiles(result: CollectResult, files: readonly SourceFile[], replaced: ReadonlyMap<string, string>, parsed: (path: string) => ParsedFile | undefined): void {
  for (const f of files) {
    const format = terraformFormat(f.path);
    if (replaced.has(f.path)) continue;
    const p = parsed(f.path);
    if (!p || (p.error && p.body.attributes.length === 0 && p.body.blocks.length === 0)) continue;
    account(result, f.path, format);
  }
}
