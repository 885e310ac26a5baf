/**
 * Loopback endpoints that accept a connection and never answer: a whole server, or a proxy in
 * front of a working server that holds back the requests whose path matches.
 */
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface HangingServer {
  url: string;
  /** Paths of the requests held (never answered), in order. */
  held: string[];
  /** Requests answered through the proxy and not yet finished. */
  inFlight(): number;
  close(): Promise<void>;
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: Server, scheme: 'http' | 'https', held: string[], inFlight: () => number): Promise<HangingServer> {
  const sockets = track(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  server.unref();
  return {
    url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    inFlight,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

/** Every request is read and held forever. */
export async function startHangingServer(tls?: { key: string; cert: string }): Promise<HangingServer> {
  const held: string[] = [];
  const hold = (req: IncomingMessage): void => {
    held.push(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    req.resume();
  };
  const server = tls ? createHttps({ key: tls.key, cert: tls.cert }, hold) : createHttp(hold);
  return listen(server, tls ? 'https' : 'http', held, () => 0);
}

/** Forwards to `upstream`, except requests whose path matches `hang`, which are held forever. */
export async function startHangingProxy(upstream: string, hang: RegExp): Promise<HangingServer> {
  const held: string[] = [];
  let inFlight = 0;
  const server = createHttp((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', upstream);
    if (hang.test(url.pathname)) {
      held.push(url.pathname);
      req.resume();
      return;
    }
    inFlight++;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
    void fetch(url, { headers })
      .then(async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(body);
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      })
      .finally(() => inFlight--);
  });
  return listen(server, 'http', held, () => inFlight);
}
