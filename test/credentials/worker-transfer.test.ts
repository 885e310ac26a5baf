/** Credentials found in a worker thread arrive redacted, with their typed evidence, as in this thread. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runJobs } from '../../src/collect/pool.js';
import { collectStructured } from '../../src/collectors/documents.js';
import { emptyResult, mergeResults, type CollectOptions, type SourceFile } from '../../src/collectors/types.js';
import type { WorkerJob } from '../../src/collect/collect-job.js';
import { DEFAULT_LIMITS } from '../../src/util/structured.js';
import { isUnread } from '../../src/model/lazy-positions.js';
import { REPO } from '../helpers/fixtures.js';
import { accessKeyId, secretAccessKey, secretWindows } from '../helpers/credentials.js';

const options: CollectOptions = { root: '/repo', limits: DEFAULT_LIMITS };

describe('credential evidence across threads', () => {
  it('the built worker sends resources redacted with their evidence, equal to collecting here', async () => {
    const [keyId, secret] = [accessKeyId(), secretAccessKey()];
    const files: SourceFile[] = [
      { path: '/repo/a/backup.yaml', text: `apiVersion: backup.acme.io/v1\nkind: S3Backup\nmetadata:\n  name: nightly\nspec:\n  accessKey: ${keyId}\n  secretKey: ${secret}\n` },
      { path: '/repo/b/copy.yaml', text: `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: copy\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          args: ["--s3-secret-access-key", "${secret}"]\n` },
    ];
    // Two jobs and one worker thread: the worker's two lanes take both before this thread asks.
    const jobs: WorkerJob[] = files.map((f, id) => ({ id, kind: 'structured', files: [[f]], options }));
    const fromWorker = await runJobs(jobs, join(REPO, 'build', 'worker.js'), 2);
    // Positions a worker sends arrive packed, unread until used: these did come from the worker.
    expect(fromWorker.resources.map((r) => isUnread(r.positions))).toEqual([true, true]);
    const here = emptyResult();
    for (const f of files) mergeResults(here, collectStructured(f, options));

    expect(fromWorker.resources.map((r) => [r.name, r.credentials?.map((e) => `${e.key} ${e.pointer} ${e.form}`)])).toEqual([
      ['nightly', ['accessKey /spec/accessKey access key id', 'secretKey /spec/secretKey secret access key']],
      ['copy', ['--s3-secret-access-key /spec/template/spec/containers/0/args/1 secret access key']],
    ]);
    expect(JSON.stringify(fromWorker)).toBe(JSON.stringify(here));
    const text = JSON.stringify(fromWorker);
    for (const part of secretWindows(keyId, secret)) expect(text).not.toContain(part);
  });
});
