/**
 * A loopback server speaking the AWS wire formats the collector uses: Query/XML for STS, IAM
 * and EC2 (form-encoded POST with `Action`), REST/JSON for EKS. Answers follow the shapes of the
 * API reference examples. Records every operation (as the IAM action it needs).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRole {
  name: string;
  trust: object;
  inline?: { name: string; document: object }[];
  attached?: string[];
  instanceProfile?: string;
}

export interface FakeAccount {
  account: string;
  roles: FakeRole[];
  policies?: { name: string; document: object }[];
  oidcProviders?: { url: string; clientIds: string[] }[];
  /** Region → clusters. */
  clusters?: Record<string, FakeCluster[]>;
  launchTemplates?: { id: string; name: string; version: number; metadataOptions: Record<string, string | number>; instanceProfileArn?: string }[];
  /** Roles per GetAccountAuthorizationDetails page. */
  pageSize?: number;
  /** How many times the first IAM page answers Throttling before succeeding. */
  throttleFirstPage?: number;
  /** IAM actions answered with 403. */
  denied?: string[];
}

export interface FakeCluster {
  name: string;
  issuer: string;
  nodegroups?: { name: string; nodeRole: string; amiType?: string; launchTemplate?: { id: string; name: string; version: string } }[];
  podIdentity?: { id: string; namespace: string; serviceAccount: string; roleArn: string }[];
}

export interface AwsFake {
  url: string;
  /** Every request, as `service:Operation`, in order. */
  requests: string[];
  close(): Promise<void>;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const members = (items: string[]): string => items.map((i) => `<member>${i}</member>`).join('');
/** IAM returns policy documents URL-encoded (RFC 3986), as in the API reference examples. */
const urlEncoded = (doc: object): string => encodeURIComponent(JSON.stringify(doc));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function xml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'c5a7e4b2-0000-4000-8000-000000000000' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
}

function queryError(res: ServerResponse, ns: string, status: number, code: string, message: string): void {
  xml(res, status, `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${esc(message)}</Message></Error><RequestId>4d2c4b3e-0000-4000-8000-000000000000</RequestId></ErrorResponse>`);
}

function json(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  res.end(JSON.stringify(body));
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

function roleXml(a: FakeAccount, r: FakeRole): string {
  const arn = `arn:aws:iam::${a.account}:role/${r.name}`;
  const profile = r.instanceProfile
    ? `<InstanceProfileList><member><InstanceProfileId>AIPAJ5EXAMPLE${r.instanceProfile.length}</InstanceProfileId><Roles><member><Path>/</Path><Arn>${arn}</Arn><RoleName>${esc(r.name)}</RoleName><AssumeRolePolicyDocument>${urlEncoded(r.trust)}</AssumeRolePolicyDocument><CreateDate>2024-03-05T17:09:20Z</CreateDate><RoleId>AROAFP4BKI7Y7EXAMPLE</RoleId></member></Roles><InstanceProfileName>${esc(r.instanceProfile)}</InstanceProfileName><Path>/</Path><Arn>arn:aws:iam::${a.account}:instance-profile/${esc(r.instanceProfile)}</Arn><CreateDate>2024-03-05T17:09:20Z</CreateDate></member></InstanceProfileList>`
    : '<InstanceProfileList/>';
  const inline = (r.inline ?? []).map((p) => `<member><PolicyName>${esc(p.name)}</PolicyName><PolicyDocument>${urlEncoded(p.document)}</PolicyDocument></member>`).join('');
  const attached = (r.attached ?? []).map((arnOf) => `<member><PolicyName>${esc(arnOf.slice(arnOf.lastIndexOf('/') + 1))}</PolicyName><PolicyArn>${esc(arnOf)}</PolicyArn></member>`).join('');
  return `<member>${profile}<RoleName>${esc(r.name)}</RoleName><Path>/</Path><AttachedManagedPolicies>${attached}</AttachedManagedPolicies><RoleLastUsed><LastUsedDate>2026-10-01T08:00:00Z</LastUsedDate><Region>eu-west-1</Region></RoleLastUsed><Tags/><Arn>${arn}</Arn><RolePolicyList>${inline}</RolePolicyList><CreateDate>2024-03-05T17:09:20Z</CreateDate><AssumeRolePolicyDocument>${urlEncoded(r.trust)}</AssumeRolePolicyDocument><RoleId>AROA${r.name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}</RoleId></member>`;
}

function policyXml(a: FakeAccount, p: { name: string; document: object }): string {
  return `<member><PolicyName>${esc(p.name)}</PolicyName><DefaultVersionId>v2</DefaultVersionId><PolicyId>ANPAJ2UCCR6DPCEXAMPLE</PolicyId><Path>/</Path><PolicyVersionList><member><Document>${urlEncoded(p.document)}</Document><IsDefaultVersion>true</IsDefaultVersion><VersionId>v2</VersionId><CreateDate>2025-06-01T10:00:00Z</CreateDate></member><member><Document>${urlEncoded({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })}</Document><IsDefaultVersion>false</IsDefaultVersion><VersionId>v1</VersionId><CreateDate>2024-01-01T10:00:00Z</CreateDate></member></PolicyVersionList><Arn>arn:aws:iam::${a.account}:policy/${esc(p.name)}</Arn><AttachmentCount>1</AttachmentCount><CreateDate>2024-01-01T10:00:00Z</CreateDate><IsAttachable>true</IsAttachable><UpdateDate>2025-06-01T10:00:00Z</UpdateDate></member>`;
}

export async function startAwsFake(a: FakeAccount): Promise<AwsFake> {
  const requests: string[] = [];
  let throttles = a.throttleFirstPage ?? 0;
  const denied = new Set(a.denied ?? []);

  async function query(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URLSearchParams(await readBody(req));
    const action = params.get('Action') ?? '';
    const version = params.get('Version') ?? '';
    const service = version === '2011-06-15' ? 'sts' : version === '2016-11-15' ? 'ec2' : 'iam';
    requests.push(`${service}:${action}`);
    if (denied.has(`${service}:${action}`)) {
      if (service === 'ec2') return xml(res, 403, `<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>5a1b</RequestID></Response>`);
      return queryError(res, IAM_NS, 403, 'AccessDenied', `User: arn:aws:sts::${a.account}:assumed-role/podtrust/scan is not authorized to perform: ${service}:${action}`);
    }
    if (action === 'GetCallerIdentity') {
      return xml(res, 200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::${a.account}:assumed-role/podtrust/scan</Arn><UserId>AROA3XFRBF535EXAMPLE:scan</UserId><Account>${a.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
    }
    if (action === 'GetAccountAuthorizationDetails') {
      const marker = params.get('Marker');
      if (!marker && throttles > 0) {
        throttles--;
        return queryError(res, IAM_NS, 400, 'Throttling', 'Rate exceeded');
      }
      const start = marker ? Number(marker.replace(/^EXAMPLEkakv9BCuUNFDtx/, '')) : 0;
      const pageSize = a.pageSize ?? Number(params.get('MaxItems') ?? '100');
      const roles = a.roles.slice(start, start + pageSize);
      const next = start + pageSize < a.roles.length ? start + pageSize : undefined;
      const policies = start === 0 ? (a.policies ?? []).map((p) => policyXml(a, p)).join('') : '';
      return xml(res, 200, `<GetAccountAuthorizationDetailsResponse xmlns="${IAM_NS}"><GetAccountAuthorizationDetailsResult><IsTruncated>${next !== undefined}</IsTruncated><UserDetailList/><GroupDetailList/><RoleDetailList>${roles.map((r) => roleXml(a, r)).join('')}</RoleDetailList>${next !== undefined ? `<Marker>EXAMPLEkakv9BCuUNFDtx${next}</Marker>` : ''}<Policies>${policies}</Policies></GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>92e79ae7-7399-11e4-8c85-4b53eEXAMPLE</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>`);
    }
    if (action === 'ListOpenIDConnectProviders') {
      const list = (a.oidcProviders ?? []).map((p) => `<member><Arn>arn:aws:iam::${a.account}:oidc-provider/${esc(p.url)}</Arn></member>`).join('');
      return xml(res, 200, `<ListOpenIDConnectProvidersResponse xmlns="${IAM_NS}"><ListOpenIDConnectProvidersResult><OpenIDConnectProviderList>${list}</OpenIDConnectProviderList></ListOpenIDConnectProvidersResult><ResponseMetadata><RequestId>de2c0228-4f63-11e4-aefa-bfd6aEXAMPLE</RequestId></ResponseMetadata></ListOpenIDConnectProvidersResponse>`);
    }
    if (action === 'GetOpenIDConnectProvider') {
      const arn = params.get('OpenIDConnectProviderArn') ?? '';
      const p = (a.oidcProviders ?? []).find((x) => arn.endsWith(`oidc-provider/${x.url}`));
      if (!p) return queryError(res, IAM_NS, 404, 'NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
      return xml(res, 200, `<GetOpenIDConnectProviderResponse xmlns="${IAM_NS}"><GetOpenIDConnectProviderResult><ThumbprintList><member>9e99a48a9960b14926bb7f3b02e22da2b0ab7280</member></ThumbprintList><CreateDate>2024-03-05T17:09:20Z</CreateDate><ClientIDList>${members(p.clientIds.map(esc))}</ClientIDList><Url>${esc(p.url)}</Url></GetOpenIDConnectProviderResult><ResponseMetadata><RequestId>2c91531b-4f65-11e4-aefa-bfd6aEXAMPLE</RequestId></ResponseMetadata></GetOpenIDConnectProviderResponse>`);
    }
    if (action === 'DescribeLaunchTemplateVersions') {
      const id = params.get('LaunchTemplateId');
      const items = (a.launchTemplates ?? []).filter((t) => t.id === id).map((t) => {
        const md = Object.entries(t.metadataOptions).map(([k, v]) => `<${k[0]!.toLowerCase()}${k.slice(1)}>${v}</${k[0]!.toLowerCase()}${k.slice(1)}>`).join('');
        const profile = t.instanceProfileArn ? `<iamInstanceProfile><arn>${esc(t.instanceProfileArn)}</arn></iamInstanceProfile>` : '';
        return `<item><createTime>2025-10-31T11:38:52.000Z</createTime><createdBy>arn:aws:iam::${a.account}:root</createdBy><defaultVersion>true</defaultVersion><launchTemplateData>${profile}<imageId>ami-0abcdef1234567890</imageId><instanceType>m6i.large</instanceType><metadataOptions>${md}</metadataOptions><userData>IyEvYmluL2Jhc2gKZWNobyBoaQ==</userData></launchTemplateData><launchTemplateId>${t.id}</launchTemplateId><launchTemplateName>${esc(t.name)}</launchTemplateName><versionNumber>${t.version}</versionNumber></item>`;
      });
      return xml(res, 200, `<DescribeLaunchTemplateVersionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>65cadec1-ab9d-4a05-8a33-EXAMPLE</requestId><launchTemplateVersionSet>${items.join('')}</launchTemplateVersionSet></DescribeLaunchTemplateVersionsResponse>`);
    }
    return queryError(res, IAM_NS, 400, 'InvalidAction', `unknown action ${action}`);
  }

  function eks(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const region = /Credential=[^/]+\/\d+\/([^/]+)\/eks\//.exec(String(req.headers.authorization))?.[1] ?? 'us-east-1';
    const clusters = a.clusters?.[region] ?? [];
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const op = parts.length === 1 ? 'ListClusters' : parts.length === 2 ? 'DescribeCluster' : parts[2] === 'node-groups' ? (parts.length === 3 ? 'ListNodegroups' : 'DescribeNodegroup') : parts.length === 3 ? 'ListPodIdentityAssociations' : 'DescribePodIdentityAssociation';
    requests.push(`eks:${op}`);
    if (denied.has(`eks:${op}`)) return json(res, 403, { message: `User: arn:aws:sts::${a.account}:assumed-role/podtrust/scan is not authorized to perform: eks:${op}` }, 'AccessDeniedException');
    const cluster = clusters.find((c) => c.name === parts[1]);
    if (op === 'ListClusters') return json(res, 200, { clusters: clusters.map((c) => c.name) });
    if (!cluster) return json(res, 404, { message: `No cluster found for name: ${parts[1]}.` }, 'ResourceNotFoundException');
    const clusterArn = `arn:aws:eks:${region}:${a.account}:cluster/${cluster.name}`;
    if (op === 'DescribeCluster') {
      return json(res, 200, { cluster: { name: cluster.name, arn: clusterArn, createdAt: 1730000000.123, version: '1.31', endpoint: 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com', roleArn: `arn:aws:iam::${a.account}:role/eks-cluster`, resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d'], securityGroupIds: [], endpointPublicAccess: false, endpointPrivateAccess: true }, kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' }, logging: { clusterLogging: [] }, identity: { oidc: { issuer: cluster.issuer } }, status: 'ACTIVE', certificateAuthority: { data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==' }, platformVersion: 'eks.12', tags: {}, accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } } });
    }
    if (op === 'ListNodegroups') return json(res, 200, { nodegroups: (cluster.nodegroups ?? []).map((n) => n.name) });
    if (op === 'DescribeNodegroup') {
      const ng = (cluster.nodegroups ?? []).find((n) => n.name === parts[3]);
      if (!ng) return json(res, 404, { message: 'No node group found' }, 'ResourceNotFoundException');
      return json(res, 200, { nodegroup: { nodegroupName: ng.name, nodegroupArn: `arn:aws:eks:${region}:${a.account}:nodegroup/${cluster.name}/${ng.name}/0ec6ab8c-0000-0000-0000-000000000000`, clusterName: cluster.name, version: '1.31', releaseVersion: '1.31.0-20241024', createdAt: 1730000100.5, modifiedAt: 1730000200.5, status: 'ACTIVE', capacityType: 'ON_DEMAND', scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 }, instanceTypes: ['m6i.large'], subnets: ['subnet-0a1b2c3d'], amiType: ng.amiType ?? 'AL2023_x86_64_STANDARD', nodeRole: ng.nodeRole, labels: {}, resources: { autoScalingGroups: [{ name: 'eks-ng-0ec6ab8c' }] }, health: { issues: [] }, updateConfig: { maxUnavailable: 1 }, ...(ng.launchTemplate ? { launchTemplate: ng.launchTemplate } : {}), tags: {} } });
    }
    if (op === 'ListPodIdentityAssociations') {
      return json(res, 200, { associations: (cluster.podIdentity ?? []).map((p) => ({ clusterName: cluster.name, namespace: p.namespace, serviceAccount: p.serviceAccount, associationArn: `arn:aws:eks:${region}:${a.account}:podidentityassociation/${cluster.name}/${p.id}`, associationId: p.id })) });
    }
    const p = (cluster.podIdentity ?? []).find((x) => x.id === parts[3]);
    if (!p) return json(res, 404, { message: 'association not found' }, 'ResourceNotFoundException');
    return json(res, 200, { association: { clusterName: cluster.name, namespace: p.namespace, serviceAccount: p.serviceAccount, roleArn: p.roleArn, associationArn: `arn:aws:eks:${region}:${a.account}:podidentityassociation/${cluster.name}/${p.id}`, associationId: p.id, tags: {}, createdAt: 1730000300.25, modifiedAt: 1730000300.25 } });
  }

  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) void query(req, res);
    else if (req.url?.startsWith('/clusters')) eks(req, res);
    else json(res, 404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
