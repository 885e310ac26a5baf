/** Parses a Terraform/OpenTofu file in the syntax its name says: native (HCL) or JSON. */
import type { ParsedFile } from './ast.js';
import { terraformFileKind } from './file-kinds.js';
import { parseHcl } from './hcl-parser.js';
import { parseTerraformJson, parseTfvarsJson } from './json-syntax.js';

export function parseTerraformFile(path: string, text: string, options: { maxDepth?: number }): Promise<ParsedFile> {
  switch (terraformFileKind(path)) {
    case 'config-json':
      return parseTerraformJson(path, text, options);
    case 'tfvars-json':
      return parseTfvarsJson(path, text, options);
    default:
      return parseHcl(path, text, options);
  }
}
