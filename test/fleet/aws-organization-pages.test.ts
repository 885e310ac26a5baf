/** An organization listing that never ends is cut at the page limit and said to be cut: never a silent short list. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@aws-sdk/client-organizations';
import { listMembers, listingNotes } from '../../src/live/aws/organization.js';

let server: Server;
let url = '';
let pagesServed = 0;
/** Pages before the listing ends; Infinity: a next-page token every time. */
let lastPage = Infinity;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { NextToken?: string };
      const page = input.NextToken ? Number(input.NextToken) : 0;
      pagesServed++;
      const id = String(100000000000 + page);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'c3d4e5f6-0000-4000-8000-000000000000' });
      res.end(JSON.stringify({ Accounts: [{ Id: id, State: 'ACTIVE' }], ...(page + 1 < lastPage ? { NextToken: String(page + 1) } : {}) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () => new sdk.OrganizationsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLEPAGES000', secretAccessKey: 'not-a-secret' }, maxAttempts: 1 });

describe('ListAccounts paging', () => {
  it('a listing that keeps answering a next page is cut at the limit and named as cut', async () => {
    lastPage = Infinity;
    pagesServed = 0;
    const listed = await listMembers(sdk, client(), undefined, 5);
    expect(pagesServed).toBe(5);
    expect(listed.members).toHaveLength(5);
    expect(listed.truncated).toBe(true);
    expect(listingNotes(listed)).toEqual([expect.objectContaining({ kind: 'limit', level: 'error', message: 'aws organization: ListAccounts still had more after 5 pages; the accounts beyond were not listed, so not read' })]);
  });

  it('a listing that ends within the limit is whole and says nothing', async () => {
    lastPage = 3;
    pagesServed = 0;
    const listed = await listMembers(sdk, client(), undefined, 5);
    expect(pagesServed).toBe(3);
    expect(listed.members.map((m) => m.id)).toEqual(['100000000000', '100000000001', '100000000002']);
    expect(listed.truncated).toBeUndefined();
    expect(listingNotes(listed)).toEqual([]);
  });
});
