/** Collects Terraform written inline in a test (module calls of the public module models), as if it were `file`. */
import { dirname } from 'node:path';
import { collectTerraform } from '../../src/collectors/terraform/index.js';
import type { Resource } from '../../src/model/types.js';

export async function collectLines(file: string, lines: readonly string[]) {
  const text = [...lines, ''].join('\n');
  const result = await collectTerraform([{ path: file, text }], { root: dirname(file), limits: { maxNodes: 1_000_000, maxDepth: 256 } });
  const by = (address: string): Resource | undefined => result.resources.find((r) => r.address === address);
  return { result, by };
}
