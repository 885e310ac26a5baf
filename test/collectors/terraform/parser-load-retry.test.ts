/**
 * The HCL parser loads once per thread; a load that fails (the grammar cannot be read) is tried
 * again on the next parse. web-tree-sitter initialises its runtime once and keeps the module it was
 * first given, so the retry must find the binding's functions there, not on a new, empty object.
 * Its own file: the parser must not have been loaded before in this module graph.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { Language } from 'web-tree-sitter';
import { parseHcl } from '../../../src/collectors/terraform/hcl-parser.js';

afterEach(() => {
  vi.restoreAllMocks();
});

it('parses after a first load failed once the runtime was initialised', async () => {
  vi.spyOn(Language, 'load').mockRejectedValueOnce(new Error('grammar unreadable'));
  await expect(parseHcl('a.tf', 'x = 1\n')).rejects.toThrow('grammar unreadable');
  const parsed = await parseHcl('a.tf', 'x = 1\n');
  expect(parsed.error).toBeUndefined();
  expect(parsed.body.attributes.map((a) => a.name)).toEqual(['x']);
});
