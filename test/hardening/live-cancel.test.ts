/**
 * Ctrl-C / SIGTERM during a live scan: the built CLI stops its API calls, writes the report with
 * what was collected and a cancellation note, and exits 2; a second signal quits at once (130).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { REPO } from '../helpers/fixtures.js';
import { startCluster, writeKubeconfig, type LoopbackCluster } from '../live/k8s-server.js';
import { CONTEXT, ISSUER, OBJECTS } from '../live/parity-fixture.js';
import { startHangingProxy, type HangingServer } from './hanging-server.js';
import { cancelOnSignals, createCancellation, isCancelled, type SignalProcess, type StopSignal } from '../../src/live/cancel.js';

const open: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('cancelling a live scan', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the report holds what was collected and the cancellation; exit 2', async (signal) => {
    const cluster: LoopbackCluster = await startCluster({ objects: OBJECTS, issuer: ISSUER });
    open.push(cluster);
    // Pods never answer: the scan is stuck there when the signal comes.
    const proxy: HangingServer = await startHangingProxy(cluster.url, /^\/api\/v1\/pods$/);
    open.push(proxy);
    const kubeconfig = writeKubeconfig([{ context: CONTEXT, url: proxy.url }]);
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-cancel-'));
    const report = join(dir, 'report.json');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'podtrust.js'), 'scan', '--kubeconfig', kubeconfig, '--context', CONTEXT, '--root', dir, '--format', 'json', '--output', report, '--fail-on', 'none'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
    try {
      await until(() => proxy.held.length > 0 && proxy.inFlight() === 0 && cluster.listRequests('serviceaccounts').length > 0, 'the scan to reach the hung list');
      child.kill(signal);
      const status = await exited;
      expect(status).toBe(2);
    } finally {
      clearTimeout(guard);
    }
    expect(existsSync(report)).toBe(true);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { findings: { ruleId: string; resource: { name: string } }[]; notes: { level: string; message: string }[]; summary: { resources: number; partial?: boolean } };
    expect(json.notes).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringMatching(new RegExp(`^scan cancelled \\(${signal}\\): `)) }));
    expect(json.notes).toContainEqual(expect.objectContaining({ level: 'error', message: `cluster ${CONTEXT}: cancelled while listing pods: not read` }));
    // What was listed before the signal is in the report, with its findings.
    expect(json.summary.resources).toBeGreaterThan(0);
    expect(json.findings.map((f) => `${f.ruleId} ${f.resource.name}`)).toContain('k8s-identity-on-default-sa payments/default');
    expect(stderr).toMatch(new RegExp(`podtrust: ${signal}: stopping`));
  });

  it('the first signal cancels, a second one exits with 130', () => {
    const listeners = new Map<StopSignal, (() => void)[]>();
    const exits: number[] = [];
    const target: SignalProcess = {
      once: (event, listener) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
      removeListener: (event, listener) => listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener)),
      exit: ((code: number) => {
        exits.push(code);
      }) as SignalProcess['exit'],
    };
    const fire = (event: StopSignal): void => {
      const list = listeners.get(event) ?? [];
      listeners.set(event, []);
      for (const l of list) l();
    };
    const cancellation = createCancellation();
    const restore = cancelOnSignals(cancellation, target);
    expect(isCancelled(cancellation.signal)).toBe(false);
    fire('SIGTERM');
    expect(cancellation.by).toBe('SIGTERM');
    expect(isCancelled(cancellation.signal)).toBe(true);
    expect(isCancelled(AbortSignal.any([cancellation.signal, new AbortController().signal]))).toBe(true);
    expect(exits).toEqual([]);
    fire('SIGINT');
    expect(exits).toEqual([130]);
    restore();
    expect([...listeners.values()].flat()).toEqual([]);
  });

  it('a deadline is not a cancellation', () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    expect(isCancelled(controller.signal)).toBe(false);
    expect(isCancelled(undefined)).toBe(false);
  });
});
