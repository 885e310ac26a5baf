import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

describe('positions after non-ASCII text', () => {
  it('counts columns in characters', async () => {
    const text = `# héllo wörld\nresource "aws_iam_role" "r" {\n  description = "ünïcode"\n  name = "r"\n}\n`;
    const r = await collectTerraform([{ path: '/p/x/main.tf', text }], { root: '/p', limits: { maxNodes: 1000, maxDepth: 64 } });
    expect(r.resources[0]!.name).toBe('r');
    expect(r.resources[0]!.positions['/RoleName']).toMatchObject({ line: 4, column: 10 });
  });
});
