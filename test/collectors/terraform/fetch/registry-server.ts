/**
 * A loopback HTTPS Terraform module registry for tests: service discovery, `modules.v1` versions and
 * download (the location as `X-Terraform-Get` or as JSON), and the archives themselves, built at
 * test time from module stand-ins. It records every request (path and Authorization header).
 */
import { createServer } from 'node:https';
import type { Server } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { TestTls } from '../../../live/tls.js';

export interface TarEntry {
  name: string;
  body?: string;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
}

/** Listens on a loopback port; `close` ends open connections too. */
export async function listenLoopback(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const close = (): Promise<void> =>
    new Promise<void>((done) => {
      for (const s of sockets) s.destroy();
      server.close(() => done());
    });
  return { port: (server.address() as AddressInfo).port, close };
}

export async function tarGz(entries: TarEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => p.on('end', resolve));
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') p.entry({ name: e.name, type }, e.body ?? '');
    else p.entry({ name: e.name, type, ...(e.linkname !== undefined ? { linkname: e.linkname } : {}) });
  }
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

export interface RegistryModuleStandIn {
  /** `namespace/name/provider`. */
  address: string;
  /** Version → the archive of that version. */
  versions: Record<string, Buffer>;
  /** Answer downloads with a JSON `location` instead of the header. */
  jsonLocation?: boolean;
  /** Override the download location (a go-getter address), by version. */
  location?: (version: string, base: string) => string;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>`: the registry host as a module source names it (Terraform wants a dot in it). */
  host: string;
  base: string;
  requests: { path: string; authorization?: string }[];
  archiveHits(): number;
  /** Serves one more module (its archives may name this registry's host). */
  add(module: RegistryModuleStandIn): void;
  /** Answers a path with a redirect. */
  redirect(path: string, location: string): void;
  close(): Promise<void>;
}

export async function startRegistry(tls: TestTls, modules: RegistryModuleStandIn[], extra: Record<string, Buffer> = {}): Promise<TestRegistry> {
  const requests: TestRegistry['requests'] = [];
  const archives = new Map<string, Buffer>(Object.entries(extra));
  const redirects = new Map<string, string>();
  const add = (m: RegistryModuleStandIn): void => {
    for (const [v, data] of Object.entries(m.versions)) archives.set(`/archives/${m.address}/${v}.tar.gz`, data);
  };
  modules.forEach(add);
  let base = '';
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}) });
    if (path === '/.well-known/terraform.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ 'modules.v1': '/v1/modules/' }));
      return;
    }
    const moved = redirects.get(path);
    if (moved !== undefined) {
      res.statusCode = 302;
      res.setHeader('location', moved);
      res.end();
      return;
    }
    const archive = archives.get(path);
    if (archive) {
      res.setHeader('content-type', 'application/gzip');
      res.end(archive);
      return;
    }
    for (const m of modules) {
      const prefix = `/v1/modules/${m.address}/`;
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      if (rest === 'versions') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ modules: [{ versions: Object.keys(m.versions).map((version) => ({ version })) }] }));
        return;
      }
      const dl = /^([^/]+)\/download$/.exec(rest);
      const asked = dl ? decodeURIComponent(dl[1]!) : '';
      // Terraform asks for a published `v1.2.0` as `1.2.0`.
      const v = m.versions[asked] ? asked : `v${asked}`;
      if (dl && m.versions[v]) {
        const location = m.location?.(v, base) ?? `/archives/${m.address}/${v}.tar.gz`;
        if (m.jsonLocation) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ location }));
        } else {
          res.statusCode = 204;
          res.setHeader('x-terraform-get', location);
          res.end();
        }
        return;
      }
    }
    res.statusCode = 404;
    res.end('not found');
  });
  const { port, close } = await listenLoopback(server);
  base = `https://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    base,
    requests,
    archiveHits: () => requests.filter((r) => r.path.startsWith('/archives/')).length,
    add: (m) => {
      modules.push(m);
      add(m);
    },
    redirect: (path, location) => redirects.set(path, location),
    close,
  };
}
