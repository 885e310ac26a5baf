/**
 * A loopback HTTP CONNECT proxy for tests: it records every CONNECT target (and the
 * Proxy-Authorization it was given) and tunnels each to the same port on 127.0.0.1, whatever the
 * name, so a test can use names only the proxy "resolves".
 */
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { listenLoopback } from './registry-server.js';

export interface TestProxy {
  url: string;
  /** `host:port` of each CONNECT, in order. */
  targets: string[];
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** `answer`: the raw reply to every CONNECT instead of a tunnel (a proxy that refuses, or lies). */
export async function startConnectProxy(answer?: string): Promise<TestProxy> {
  const targets: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server = createServer((_req, res) => {
    res.statusCode = 405;
    res.end();
  });
  server.on('connect', (req, client, head) => {
    const target = req.url ?? '';
    targets.push(target);
    authorizations.push(req.headers['proxy-authorization']);
    if (answer !== undefined) {
      client.end(answer);
      return;
    }
    const port = Number(/:(\d+)$/.exec(target)?.[1]);
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const { port, close } = await listenLoopback(server);
  return { url: `http://127.0.0.1:${port}`, targets, authorizations, close };
}
