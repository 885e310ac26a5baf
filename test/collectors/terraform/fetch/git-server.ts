/**
 * A git repository served over loopback HTTPS by `git http-backend` (git's smart HTTP, as CGI),
 * made at test time from files given: one commit, tagged.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestTls } from '../../../live/tls.js';
import { listenLoopback } from './registry-server.js';

export interface TestGitServer {
  /** `https://127.0.0.1:<port>/<name>.git` */
  url: string;
  host: string;
  requests: string[];
  /** Bytes of response bodies written so far (a throttled answer cut short by the client stops early). */
  bodyBytes(): number;
  close(): Promise<void>;
}

export interface GitServerOptions {
  /** Answer the pack request (`git-upload-pack`) slowly: this many bytes, then a pause of `pauseMs`. */
  throttle?: { chunkBytes: number; pauseMs: number };
  /** Never answer the pack request. */
  stall?: boolean;
}

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

export function makeRepository(files: Record<string, string | Buffer>, tag: string): { root: string; name: string } {
  const root = mkdtempSync(join(tmpdir(), 'podtrust-git-'));
  const work = join(root, 'work');
  mkdirSync(work);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), text);
  }
  const git = (cwd: string, ...args: string[]): void => {
    execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: 'pipe' });
  };
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'module');
  git(work, 'tag', tag);
  git(root, 'clone', '-q', '--bare', 'work', 'module.git');
  git(join(root, 'module.git'), 'config', 'http.receivepack', 'false');
  return { root, name: 'module.git' };
}

export async function startGitServer(tls: TestTls, repo: { root: string; name: string }, options: GitServerOptions = {}): Promise<TestGitServer> {
  const requests: string[] = [];
  let bodyBytes = 0;
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    requests.push(url.pathname);
    const pack = url.pathname.endsWith('/git-upload-pack');
    if (pack && options.stall) return;
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        ...GIT_ENV,
        GIT_PROJECT_ROOT: repo.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1');
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') res.statusCode = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      const body = out.subarray(split + 4);
      const throttle = pack ? options.throttle : undefined;
      if (!throttle) {
        bodyBytes += body.length;
        res.end(body);
        return;
      }
      let at = 0;
      let gone = false;
      res.on('close', () => (gone = true));
      const next = (): void => {
        if (gone || at >= body.length) return void res.end();
        const chunk = body.subarray(at, at + throttle.chunkBytes);
        at += chunk.length;
        bodyBytes += chunk.length;
        res.write(chunk);
        setTimeout(next, throttle.pauseMs);
      };
      next();
    });
  });
  const { port, close } = await listenLoopback(server);
  const host = `127.0.0.1:${port}`;
  return {
    url: `https://${host}/${repo.name}`,
    host,
    requests,
    bodyBytes: () => bodyBytes,
    close,
  };
}
