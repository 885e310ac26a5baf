/** A throwaway CA and a 127.0.0.1 server certificate, made with openssl at test time. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  ca: string;
  key: string;
  cert: string;
  caFile: string;
}

/** `names`: more DNS names the server certificate is valid for (besides 127.0.0.1 and localhost). */
export function makeTestTls(names: readonly string[] = []): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-tls-'));
  const p = (f: string): string => join(dir, f);
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe', timeout: 30_000 });
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '1', '-subj', '/CN=podtrust test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(p('ext.cnf'), `subjectAltName=${['IP:127.0.0.1', 'DNS:localhost', ...names.map((n) => `DNS:${n}`)].join(',')}\nextendedKeyUsage=serverAuth\n`);
  run('x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.pem'), '-days', '1', '-extfile', p('ext.cnf'));
  return { ca: readFileSync(p('ca.pem'), 'utf8'), key: readFileSync(p('server.key'), 'utf8'), cert: readFileSync(p('server.pem'), 'utf8'), caFile: p('ca.pem') };
}
