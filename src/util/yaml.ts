/** Parses every document of a YAML stream (documents without any node are dropped): the fast path where it applies, else the reference path. */
import { parseYamlReference, type ParseOutput, type YamlOptions } from './structured.js';
import { parseYamlFast } from './yaml-fast.js';

export function parseYaml(text: string, options: YamlOptions = {}): ParseOutput {
  return parseYamlFast(text, options) ?? parseYamlReference(text, options);
}
