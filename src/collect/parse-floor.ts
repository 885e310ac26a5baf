/**
 * The benchmark's parse floor: read and parse the same inputs with the same parsers a scan
 * uses, and nothing else (no collectors, no evaluation, no rules).
 */
import { readInputs } from './inputs.js';
import { parseJson } from '../util/structured.js';
import { parseYaml } from '../util/yaml.js';
import { parseHcl } from '../collectors/terraform/hcl-parser.js';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES } from '../scan.js';

export async function parseOnly(paths: string[], root: string): Promise<{ files: number; documents: number }> {
  const inputs = readInputs({ paths, root, exclude: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES, maxTotalBytes: DEFAULT_MAX_TOTAL_BYTES });
  let documents = 0;
  for (const f of inputs.structured) {
    const out = f.path.endsWith('.json') ? parseJson(f.text) : parseYaml(f.text, { intrinsicTags: true });
    documents += out.documents.length;
  }
  for (const f of inputs.terraform) {
    await parseHcl(f.path, f.text);
    documents++;
  }
  return { files: inputs.structured.length + inputs.terraform.length, documents };
}
