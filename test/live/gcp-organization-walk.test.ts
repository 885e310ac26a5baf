import { describe, expect, test } from 'vitest';
import { projectsBeneath, type ChildLists } from '../../src/live/gcp/organization.js';

/** A parent whose folders and projects are both refused, the refusals answered in the order given. */
function refusing(first: 'folders' | 'projects'): ChildLists {
  const refuse = (permission: string) => Promise.reject(new Error(`403: Permission '${permission}' denied`));
  // The later refusal waits for the earlier one to settle: which list fails first is the only difference.
  const earlier = first === 'folders' ? refuse('resourcemanager.folders.list') : refuse('resourcemanager.projects.list');
  const later = earlier.catch(() => undefined).then(() => refuse(first === 'folders' ? 'resourcemanager.projects.list' : 'resourcemanager.folders.list'));
  earlier.catch(() => undefined);
  later.catch(() => undefined);
  return first === 'folders' ? { folders: () => earlier, projects: () => later } : { folders: () => later, projects: () => earlier };
}

describe('walking organizations and folders', () => {
  test('a parent refusing both lists is named by the same note whichever refusal arrives first', async () => {
    const a = await projectsBeneath(['folders/1004'], refusing('folders'));
    const b = await projectsBeneath(['folders/1004'], refusing('projects'));
    expect(a.notes.map((n) => n.message)).toEqual([expect.stringMatching(/^gcp folders\/1004: cannot list its folders and projects .*folders\.list' denied/)]);
    expect(b.notes).toEqual(a.notes);
  });
});
