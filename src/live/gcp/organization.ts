/**
 * The GCP projects beneath organizations and folders (`--gcp-organization`, `--gcp-folder`):
 * Resource Manager v3 `folders.list` and `projects.list` with `parent`, through every folder
 * beneath, page by page. A parent that cannot be listed is named in an error note and the walk goes
 * on with the others.
 */
import type { CoverageNote } from '../../model/types.js';
import { errorText } from '../cloud.js';
import { isCancelled } from '../cancel.js';
import { TargetLimit } from '../target-limit.js';

/** The permission each discovery call needs, on the organization or folder listed. */
export const GCP_DISCOVERY_OPERATIONS = {
  folders: 'resourcemanager.folders.list',
  projects: 'resourcemanager.projects.list',
} as const;

/** One page of a v3 list, as the API answers it. */
export interface ChildPage<T> {
  items: T[];
  nextPageToken?: string | null;
}

export interface ChildLists {
  folders(parent: string, pageToken?: string): Promise<ChildPage<{ name?: string | null; state?: string | null }>>;
  projects(parent: string, pageToken?: string): Promise<ChildPage<{ projectId?: string | null; state?: string | null }>>;
}

export interface ProjectsFound {
  /** Project ids, sorted. */
  projects: string[];
  notes: CoverageNote[];
  /** Of the notes, those naming a project listed but not active, by project id. */
  inactive: Map<string, CoverageNote>;
  /** Of the notes, those naming an organization or folder that could not be listed, by its name. */
  unlisted: Map<string, CoverageNote>;
}

const MAX_PAGES = 10_000;
const FOLDER_NAME = /^folders\/\d{1,32}$/;
/** Project ids: 6 to 30 lower-case letters, digits and hyphens; older ones may carry a domain (`example.com:project`). */
const PROJECT_ID = /^(?:[a-z0-9.-]{1,63}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Folders nest at most 10 deep under an organization (300 per parent); this bounds a hostile answer. */
const MAX_PARENTS = 100_000;
/** Parents listed at once while walking. */
const WALK_CONCURRENCY = 8;

async function allPages<T>(list: (pageToken?: string) => Promise<ChildPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await list(token);
    items.push(...out.items);
    token = out.nextPageToken ?? undefined;
    if (!token) break;
  }
  return items;
}

/** `parents` in resource-name form: `organizations/123`, `folders/456`. */
export async function projectsBeneath(parents: readonly string[], lists: ChildLists, signal?: AbortSignal, onFound?: (count: number) => void): Promise<ProjectsFound> {
  const projects = new Set<string>();
  const notes: CoverageNote[] = [];
  const inactive = new Map<string, CoverageNote>();
  const unlisted = new Map<string, CoverageNote>();
  const seen = new Set<string>(parents);
  const limit = new TargetLimit(WALK_CONCURRENCY);
  let level = [...seen];
  while (level.length > 0) {
    const next: string[] = [];
    await Promise.all(
      level.map((parent) =>
        limit.run(async () => {
          if (isCancelled(signal)) return;
          try {
            // Both settled, the folders' failure named first: the first to fail would depend on timing,
            // and shards walking the same parent must name it alike.
            const [foldersListed, childrenListed] = await Promise.allSettled([allPages((t) => lists.folders(parent, t)), allPages((t) => lists.projects(parent, t))]);
            if (foldersListed.status === 'rejected') throw foldersListed.reason;
            if (childrenListed.status === 'rejected') throw childrenListed.reason;
            const [folders, children] = [foldersListed.value, childrenListed.value];
            let malformed = 0;
            for (const f of folders) {
              if (typeof f.name !== 'string' || !FOLDER_NAME.test(f.name)) malformed++;
              else if (!seen.has(f.name) && seen.size < MAX_PARENTS) {
                seen.add(f.name);
                next.push(f.name);
              }
            }
            for (const p of children) {
              if (typeof p.projectId !== 'string' || !PROJECT_ID.test(p.projectId)) {
                malformed++;
                continue;
              }
              const state = typeof p.state === 'string' && /^[A-Z_]{1,40}$/.test(p.state) ? p.state : p.state == null ? 'ACTIVE' : 'STATE_UNKNOWN';
              if (state === 'ACTIVE') projects.add(p.projectId);
              else if (!inactive.has(p.projectId)) {
                const note: CoverageNote = { kind: 'skipped', level: 'note', message: `gcp project ${p.projectId} (in ${parent}): ${state.toLowerCase().replace(/_/g, ' ')}; not read` };
                inactive.set(p.projectId, note);
                notes.push(note);
              }
            }
            if (malformed > 0) notes.push({ kind: 'skipped', level: 'warning', message: `gcp ${parent}: ${malformed} listed folder(s) or project(s) without a valid name or id; not read` });
            onFound?.(projects.size);
          } catch (e) {
            const why = isCancelled(signal) ? 'cancelled' : errorText(e);
            const note: CoverageNote = { kind: 'skipped', level: 'error', message: `gcp ${parent}: cannot list its folders and projects (resourcemanager.folders.list, resourcemanager.projects.list): ${why}; the projects beneath it are not read` };
            unlisted.set(parent, note);
            notes.push(note);
          }
        }),
      ),
    );
    level = next.sort();
  }
  notes.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { projects: [...projects].sort(), notes, inactive, unlisted };
}
