/**
 * A loopback AWS Organization in front of one loopback account server (test/live/aws-server.ts)
 * per account: Organizations ListAccounts (JSON 1.1, `X-Amz-Target`, paged), STS AssumeRole
 * (Query/XML), and every other call routed to the account whose credentials signed it (the access
 * key id in the SigV4 `Credential=`). Records which key signed each call.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAwsFake, type AwsFake, type FakeAccount } from '../live/aws-server.js';

export const OWN_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const OWN_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PAGE = 20;

/** The access key id STS hands out for `account` (20 characters, as AWS's are). */
export const assumedKey = (account: string): string => `ASIA${account}PTRU`;

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** An account whose role any ServiceAccount of its cluster can assume (no `sub` condition): one finding per account read. */
export function workloadAccount(id: string): FakeAccount {
  return {
    account: id,
    roles: [
      {
        name: 'workload',
        trust: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${id}:oidc-provider/${ISSUER}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } } }],
        },
      },
    ],
  };
}

/** The environment of a scanner signing with its own key against the loopback organization, and nothing from the machine's AWS configuration. */
export function organizationEnv(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: OWN_KEY,
    AWS_SECRET_ACCESS_KEY: OWN_SECRET,
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/podtrust-test-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/podtrust-test-credentials',
  };
}

export interface SignedCall {
  /** `organizations:ListAccounts`, `sts:AssumeRole` or the account the call was routed to. */
  call: string;
  key: string;
  /** For AssumeRole: the role asked for. */
  roleArn?: string;
}

export interface OrganizationFake {
  url: string;
  calls: SignedCall[];
  accounts: Map<string, AwsFake>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function xml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'a1b2c3d4-0000-4000-8000-000000000000' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
}

/**
 * `management` is the scanner's own account (signed with OWN_KEY); `refusing` are members whose
 * role does not trust the scanner; `suspended` are listed but not active (in `states`, if given there); `forged` are ids listed
 * that no account has (not 12 digits, or a line break). `latencyMs` delays the
 * answer to each call (named as in SignedCall.call), as a remote endpoint's round trip does.
 */
export async function startOrganization(accounts: FakeAccount[], management: string, options: { refusing?: string[]; suspended?: string[]; states?: Record<string, string>; forged?: string[]; role: string; latencyMs?: (call: string) => number }): Promise<OrganizationFake> {
  const fakes = new Map<string, AwsFake>();
  for (const a of accounts) fakes.set(a.account, await startAwsFake(a));
  const calls: SignedCall[] = [];
  const refusing = new Set(options.refusing ?? []);
  const suspended = new Set(options.suspended ?? []);
  const ids = accounts.map((a) => a.account);
  const listed = [...ids, ...(options.forged ?? [])];

  const keyOf = (req: IncomingMessage): string => /Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? '';
  const accountOfKey = (key: string): string | undefined => (key === OWN_KEY ? management : ids.find((id) => assumedKey(id) === key));

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, fake: AwsFake): void => {
    const target = new URL(fake.url);
    const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.end(body);
  };

  const record = async (call: SignedCall): Promise<void> => {
    calls.push(call);
    const delay = options.latencyMs?.(call.call) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const key = keyOf(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target === 'AWSOrganizationsV20161128.ListAccounts') {
      await record({ call: 'organizations:ListAccounts', key });
      const input = JSON.parse(body.toString('utf8') || '{}') as { NextToken?: string };
      const start = input.NextToken ? Number(input.NextToken.replace(/^page-/, '')) : 0;
      const page = listed.slice(start, start + PAGE).map((id) => {
        const state = options.states?.[id] ?? (suspended.has(id) ? 'SUSPENDED' : 'ACTIVE');
        return { Id: id, Arn: `arn:aws:organizations::${management}:account/o-exampleorgid/${id}`, Email: `aws+${id}@example.com`, Name: `account-${id}`, Status: state, State: state, JoinedMethod: id === management ? 'CREATED' : 'INVITED', JoinedTimestamp: 1.7e9 };
      });
      const next = start + PAGE < listed.length ? { NextToken: `page-${start + PAGE}` } : {};
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'b2c3d4e5-0000-4000-8000-000000000000' });
      res.end(JSON.stringify({ Accounts: page, ...next }));
      return;
    }
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : undefined;
    if (form?.get('Action') === 'AssumeRole') {
      const roleArn = form.get('RoleArn') ?? '';
      await record({ call: 'sts:AssumeRole', key, roleArn });
      const account = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
      const caller = accountOfKey(key);
      // Only the scanner's own identity is trusted by the member roles: an assumed role cannot chain.
      if (!account || key !== OWN_KEY || refusing.has(account[1]!) || account[2] !== options.role || !fakes.has(account[1]!)) {
        return xml(res, 403, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::${caller ?? 'unknown'}:assumed-role/podtrust-scanner/scan is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>c3d4e5f6-0000-4000-8000-000000000000</RequestId></ErrorResponse>`);
      }
      const id = account[1]!;
      return xml(
        res,
        200,
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><SourceIdentity/><AssumedRoleUser><Arn>arn:aws:sts::${id}:assumed-role/${options.role}/podtrust</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:podtrust</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>${assumedKey(id)}</AccessKeyId><SecretAccessKey>9drTJvcXLB89EXAMPLELB8923FB892xMFI${id}</SecretAccessKey><SessionToken>IQoJb3JpZ2luX2VjEXAMPLE${id}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><PackedPolicySize>6</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>d4e5f6a7-0000-4000-8000-000000000000</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
    }
    const account = accountOfKey(key);
    await record({ call: account ?? 'unknown', key });
    if (!account) return xml(res, 403, '<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>');
    forward(req, res, body, fakes.get(account)!);
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    accounts: fakes,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...fakes.values()].map((f) => f.close()));
    },
  };
}
