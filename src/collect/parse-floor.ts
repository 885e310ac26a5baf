/**
 * The benchmark's parse floors.
 *
 * `rawParseOnly` is the floor the speed goal is measured against: the same inputs read and given
 * to the parsers the build ships, as they come: `JSON.parse`, yaml-ast-parser (as the YAML fast
 * path calls it) and tree-sitter's HCL parse of the text as written, whose tree is not read.
 * Everything a scan does beyond that is the scan's own work, its own parsing layers included.
 *
 * `parseOnly` is the scan's own parse: the same parsers through the project's layers (positions,
 * the lean copy of HCL, the syntax tree), with no collector, evaluation or rule after them.
 */
import { readInputs, type InputSet } from './inputs.js';
import { parseJson } from '../util/structured.js';
import { parseYaml } from '../util/yaml.js';
import { yamlAstRoots } from '../util/yaml-fast.js';
import { hclParser, parseHcl } from '../collectors/terraform/hcl-parser.js';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES } from '../scan.js';

interface Parsed {
  files: number;
  documents: number;
}

function inputsOf(paths: string[], root: string): InputSet {
  return readInputs({ paths, root, exclude: [], maxFileBytes: DEFAULT_MAX_FILE_BYTES, maxTotalBytes: DEFAULT_MAX_TOTAL_BYTES });
}

export async function parseOnly(paths: string[], root: string): Promise<Parsed> {
  const inputs = inputsOf(paths, root);
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

export async function rawParseOnly(paths: string[], root: string): Promise<Parsed> {
  const inputs = inputsOf(paths, root);
  let documents = 0;
  for (const f of inputs.structured) {
    if (f.path.endsWith('.json')) {
      JSON.parse(f.text);
      documents++;
    } else {
      documents += yamlAstRoots(f.text).length;
    }
  }
  const parser = await hclParser();
  for (const f of inputs.terraform) {
    parser.parse(f.text)?.delete();
    documents++;
  }
  return { files: inputs.structured.length + inputs.terraform.length, documents };
}
