/**
 * Live collection of an AWS account: IAM (one paged GetAccountAuthorizationDetails, OIDC
 * providers) and, per region, EKS clusters, node groups, Pod Identity associations and the
 * launch template versions node groups use. Credentials, retries (adaptive) and endpoint
 * overrides (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`) are the SDK's own.
 */
import type { ClusterInfo, CoverageNote, JsonObject, Resource } from '../../model/types.js';
import { emptyResult, mergeResults, type CollectResult } from '../../collectors/types.js';
import { TargetLimit } from '../target-limit.js';
import { assumeRole, organizationAccounts, partitionOf } from './organization.js';
import { safeSegment } from '../locations.js';
import { SILENT_PROGRESS, type Progress } from '../progress.js';
import { ApiCallLog, collectionSummary, errorText, failureNote, liveResource, permissionNote, plain } from '../cloud.js';
import { isCancelled } from '../cancel.js';
import { accountOfArn, decodePolicyDocument } from './shapes.js';
import { clientConfig, DEFAULT_AWS_REQUEST_TIMEOUT_MS, recordCalls, type AccountCredentials, type Client } from './client-config.js';

export interface AwsLiveOptions {
  /** EKS and EC2 regions (`--aws-region`); IAM is global. Empty: the SDK's configured region. */
  regions: string[];
  progress?: Progress;
  /** Receives the collection summary line (stderr unless `--quiet`). */
  onSummary?: (line: string) => void;
  calls?: ApiCallLog;
  maxAttempts?: number;
  /** Per-call timeout (`--request-timeout`): a connection or an answer that takes longer fails the call. */
  requestTimeoutMs?: number;
  /** The scan's cancellation (SIGINT/SIGTERM): stops the calls in flight; what was read is kept. */
  signal?: AbortSignal;
  /** Every active account of the organization (`--aws-organization`). */
  organization?: boolean;
  /** These accounts (`--aws-account`), the scanner's own one included or not. */
  accounts?: string[];
  /** The role assumed in every account but the scanner's own (`--aws-assume-role NAME`). */
  assumeRole?: string;
  /** Accounts read at once, shared with the scan's other live targets (`--concurrency`). */
  targetLimit?: TargetLimit;
}

/** Stops runaway paging against a misbehaving endpoint. */
const MAX_PAGES = 100_000;

interface Run {
  options: AwsLiveOptions;
  calls: ApiCallLog;
  notes: CoverageNote[];
  resources: Resource[];
  clusters: ClusterInfo[];
  account: string;
  progress: Progress;
  /** Passed to every `send`, so cancellation aborts the call in flight. */
  abort: { abortSignal?: AbortSignal };
  cancelNoted: boolean;
}

function isPermissionError(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.$metadata?.httpStatusCode === 403 || /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i.test(err?.name ?? '');
}

function isCredentialError(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  return name === 'CredentialsProviderError' || name === 'ExpiredToken' || name === 'InvalidClientTokenId' || name === 'UnrecognizedClientException';
}

async function loadSdk(organization: boolean) {
  const [iam, sts, eks, ec2, organizations] = await Promise.all([
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-eks'),
    import('@aws-sdk/client-ec2'),
    organization ? import('@aws-sdk/client-organizations') : undefined,
  ]);
  return { iam, sts, eks, ec2, organizations };
}

type AwsSdk = Awaited<ReturnType<typeof loadSdk>>;

export async function collectLiveAws(options: AwsLiveOptions): Promise<CollectResult> {
  const result = emptyResult();
  const calls = options.calls ?? new ApiCallLog();
  let sdk: AwsSdk;
  try {
    sdk = await loadSdk(options.organization === true);
  } catch (e) {
    result.notes.push({ kind: 'skipped', level: 'error', message: `aws: cannot load the AWS SDK: ${errorText(e)}` });
    return result;
  }
  const region = options.regions[0] ?? 'us-east-1';
  const sts = new sdk.sts.STSClient(clientConfig(options, region));
  recordCalls(sts as unknown as Client, 'sts', calls);
  const abort = options.signal ? { abortSignal: options.signal } : {};
  let own: string;
  let callerArn: string | undefined;
  try {
    const who = await sts.send(new sdk.sts.GetCallerIdentityCommand({}), abort);
    own = who.Account ?? 'unknown';
    callerArn = who.Arn;
  } catch (e) {
    const why = isCancelled(options.signal) ? 'cancelled' : errorText(e);
    result.notes.push({ kind: 'skipped', level: 'error', message: `aws: cannot authenticate (sts:GetCallerIdentity): ${why}` });
    return result;
  }
  let accounts = [own];
  if (options.organization && sdk.organizations) {
    const organizations = new sdk.organizations.OrganizationsClient(clientConfig(options, 'us-east-1'));
    recordCalls(organizations as unknown as Client, 'organizations', calls);
    const found = await organizationAccounts(sdk.organizations, organizations, own, options.signal);
    for (const n of found.notes) result.notes.push(n);
    accounts = found.accounts;
  } else if (options.accounts && options.accounts.length > 0) {
    accounts = [...new Set(options.accounts)].sort();
  }
  const limit = options.targetLimit ?? new TargetLimit();
  const partition = partitionOf(callerArn);
  // Accounts are read side by side, each into its own lists, and joined in the order of their ids.
  const parts = await Promise.all(
    accounts.map((account) =>
      limit.run(async () => {
        if (account === own) return collectAccount(sdk, options, calls, own);
        const part = emptyResult();
        if (!options.assumeRole) {
          part.notes.push({ kind: 'skipped', level: 'error', message: `aws account ${account}: not read: it is not the scanner's own account (${own}) and no --aws-assume-role names the role to assume there` });
          return part;
        }
        const assumed = await assumeRole(sdk.sts, sts, partition, account, options.assumeRole, options.signal);
        if ('error' in assumed) {
          part.notes.push({ kind: 'skipped', level: 'error', message: `aws account ${account}: ${assumed.error}; not read` });
          return part;
        }
        return collectAccount(sdk, options, calls, account, assumed.credentials);
      }),
    ),
  );
  for (const part of parts) mergeResults(result, part);
  return result;
}

/** One account: IAM, then EKS and EC2 per region, with the scanner's own credentials or those of the role assumed there. */
async function collectAccount(sdk: AwsSdk, options: AwsLiveOptions, calls: ApiCallLog, account: string, credentials?: AccountCredentials): Promise<CollectResult> {
  const started = Date.now();
  const result = emptyResult();
  let callCount = 0;
  const counted = (client: unknown, service: string): void => {
    recordCalls(client as Client, service, calls);
    (client as Client).middlewareStack.add((next: (args: unknown) => Promise<unknown>) => async (args: unknown) => (callCount++, next(args)), { step: 'initialize', name: 'podtrustAccountCallCount' });
  };
  const run: Run = { options, calls, notes: result.notes, resources: result.resources, clusters: result.clusters, account, progress: options.progress ?? SILENT_PROGRESS, abort: options.signal ? { abortSignal: options.signal } : {}, cancelNoted: false };
  const iam = new sdk.iam.IAMClient(clientConfig(options, 'us-east-1', credentials));
  counted(iam, 'iam');
  await collectAuthorizationDetails(run, iam, sdk.iam);
  if (!stopped(run)) await collectOidcProviders(run, iam, sdk.iam);
  const regions = options.regions.length > 0 ? options.regions : [undefined];
  for (const region of regions) {
    if (stopped(run)) break;
    const eks = new sdk.eks.EKSClient(clientConfig(options, region, credentials));
    const ec2 = new sdk.ec2.EC2Client(clientConfig(options, region, credentials));
    counted(eks, 'eks');
    counted(ec2, 'ec2');
    await collectEks(run, region ?? (await eks.config.region()), eks, sdk.eks, ec2, sdk.ec2);
  }
  const summary = collectionSummary(`aws account ${account}`, result.resources, callCount, Date.now() - started);
  run.progress.done(`aws ${account}`, summary);
  options.onSummary?.(summary);
  return result;
}

/** True once the scan was cancelled: the source reads nothing more (and says so once). */
function stopped(run: Run): boolean {
  if (!isCancelled(run.options.signal)) return false;
  if (!run.cancelNoted) run.notes.push({ kind: 'skipped', level: 'error', message: `aws account ${run.account}: cancelled: what was not read yet is missing` });
  run.cancelNoted = true;
  return true;
}

/** Notes an API failure; false when the whole source must stop (no credentials, cancelled). */
function failed(run: Run, what: string, e: unknown): boolean {
  if (stopped(run)) return false;
  if ((e as { name?: string })?.name === 'TimeoutError') {
    const seconds = (run.options.requestTimeoutMs ?? DEFAULT_AWS_REQUEST_TIMEOUT_MS) / 1000;
    run.notes.push({ kind: 'skipped', level: 'error', message: `aws account ${run.account}: cannot read ${what}: no answer within ${seconds} s` });
    return true;
  }
  if (isPermissionError(e)) run.notes.push(permissionNote(`aws account ${run.account}`, what, e));
  else run.notes.push(failureNote(`aws account ${run.account}`, what, e));
  return !isCredentialError(e);
}

function rolePath(run: Run, kind: string, name: string): string {
  return ['aws', safeSegment(run.account), 'iam', kind, `${safeSegment(name)}.json`].join('/');
}

type IamSdk = typeof import('@aws-sdk/client-iam');

async function collectAuthorizationDetails(run: Run, iam: InstanceType<IamSdk['IAMClient']>, sdk: IamSdk): Promise<void> {
  let marker: string | undefined;
  let count = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    let out;
    try {
      out = await iam.send(new sdk.GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'], MaxItems: 1000, ...(marker ? { Marker: marker } : {}) }), run.abort);
    } catch (e) {
      failed(run, 'IAM roles and policies (iam:GetAccountAuthorizationDetails)', e);
      return;
    }
    for (const role of out.RoleDetailList ?? []) addRole(run, role);
    for (const policy of out.Policies ?? []) addPolicy(run, policy);
    count += (out.RoleDetailList ?? []).length;
    run.progress.update(`aws ${run.account}`, 'roles', count);
    if (!out.IsTruncated || !out.Marker) return;
    marker = out.Marker;
  }
  run.notes.push({ kind: 'limit', level: 'error', message: `aws account ${run.account}: GetAccountAuthorizationDetails returned more than ${MAX_PAGES} pages; the rest was not read` });
}

function decodeInto(run: Run, target: JsonObject, key: string, raw: unknown, where: string, file: string): void {
  const decoded = decodePolicyDocument(raw);
  if (decoded.ok) target[key] = decoded.value;
  else if (decoded.reason !== 'missing') run.notes.push({ kind: 'parse-error', level: 'error', message: `${where}: policy document is ${decoded.reason}`, file, line: 1, column: 1 });
}

function addRole(run: Run, raw: unknown): void {
  const src = plain(raw);
  const name = String(src.RoleName ?? '');
  if (name === '') return;
  const account = accountOfArn(src.Arn) ?? run.account;
  const file = rolePath(run, 'roles', name);
  const body: JsonObject = { ...src };
  delete body.AssumeRolePolicyDocument;
  decodeInto(run, body, 'AssumeRolePolicyDocument', (raw as { AssumeRolePolicyDocument?: unknown }).AssumeRolePolicyDocument, `role ${name}`, file);
  if (Array.isArray(src.RolePolicyList)) {
    body.RolePolicyList = src.RolePolicyList.map((p) => {
      const entry: JsonObject = { ...(p as JsonObject) };
      delete entry.PolicyDocument;
      decodeInto(run, entry, 'PolicyDocument', (p as JsonObject).PolicyDocument, `inline policy ${String(entry.PolicyName)} of role ${name}`, file);
      return entry;
    });
  }
  const arn = typeof src.Arn === 'string' ? src.Arn : `arn:aws:iam::${account}:role/${name}`;
  run.resources.push(liveResource({ id: `aws:${account}:role/${name}`, type: 'aws.iam.Role', name, file, logicalLocation: arn, body }));
  for (const profile of Array.isArray(src.InstanceProfileList) ? src.InstanceProfileList : []) addInstanceProfile(run, profile as JsonObject);
}

const seenProfiles = new WeakMap<Run, Set<string>>();

function addInstanceProfile(run: Run, profile: JsonObject): void {
  const name = typeof profile.InstanceProfileName === 'string' ? profile.InstanceProfileName : '';
  const seen = seenProfiles.get(run) ?? new Set<string>();
  seenProfiles.set(run, seen);
  if (name === '' || seen.has(name)) return;
  seen.add(name);
  const body: JsonObject = { InstanceProfileName: name, Roles: Array.isArray(profile.Roles) ? profile.Roles.map((r) => ({ RoleName: (r as JsonObject).RoleName ?? null, Arn: (r as JsonObject).Arn ?? null })) : [] };
  if (typeof profile.Arn === 'string') body.Arn = profile.Arn;
  if (typeof profile.InstanceProfileId === 'string') body.InstanceProfileId = profile.InstanceProfileId;
  const arn = typeof profile.Arn === 'string' ? profile.Arn : `arn:aws:iam::${run.account}:instance-profile/${name}`;
  run.resources.push(liveResource({ id: `aws:${run.account}:instance-profile/${name}`, type: 'aws.iam.InstanceProfile', name, file: rolePath(run, 'instance-profiles', name), logicalLocation: arn, body }));
}

function addPolicy(run: Run, raw: unknown): void {
  const src = plain(raw);
  const name = String(src.PolicyName ?? '');
  if (name === '') return;
  const file = rolePath(run, 'policies', name);
  const body: JsonObject = { PolicyName: name };
  for (const key of ['Arn', 'PolicyId', 'Path', 'DefaultVersionId', 'AttachmentCount']) if (src[key] !== undefined) body[key] = src[key]!;
  const versions = (raw as { PolicyVersionList?: { IsDefaultVersion?: boolean; VersionId?: string; Document?: unknown }[] }).PolicyVersionList ?? [];
  const current = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => v.VersionId === src.DefaultVersionId);
  if (current) decodeInto(run, body, 'PolicyDocument', current.Document, `managed policy ${name}`, file);
  const arn = typeof src.Arn === 'string' ? src.Arn : `arn:aws:iam::${run.account}:policy/${name}`;
  run.resources.push(liveResource({ id: `aws:${accountOfArn(arn) ?? run.account}:policy/${name}`, type: 'aws.iam.Policy', name, file, logicalLocation: arn, body }));
}

async function collectOidcProviders(run: Run, iam: InstanceType<IamSdk['IAMClient']>, sdk: IamSdk): Promise<void> {
  let list;
  try {
    list = await iam.send(new sdk.ListOpenIDConnectProvidersCommand({}), run.abort);
  } catch (e) {
    failed(run, 'OIDC providers (iam:ListOpenIDConnectProviders)', e);
    return;
  }
  for (const entry of list.OpenIDConnectProviderList ?? []) {
    const arn = entry.Arn;
    if (!arn) continue;
    try {
      const out = await iam.send(new sdk.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }), run.abort);
      const url = String(out.Url ?? arn.slice(arn.indexOf('oidc-provider/') + 'oidc-provider/'.length)).replace(/^https:\/\//, '');
      const body: JsonObject = { Arn: arn, Url: url };
      if (out.ClientIDList) body.ClientIDList = out.ClientIDList;
      if (out.ThumbprintList) body.ThumbprintList = out.ThumbprintList;
      if (out.Tags) body.Tags = plain({ t: out.Tags }).t!;
      run.resources.push(liveResource({ id: `aws:${accountOfArn(arn) ?? run.account}:oidc-provider/${url}`, type: 'aws.iam.OIDCProvider', name: url, file: rolePath(run, 'oidc-providers', url), logicalLocation: arn, body }));
    } catch (e) {
      if (!failed(run, `OIDC provider ${arn} (iam:GetOpenIDConnectProvider)`, e)) return;
    }
  }
}

type EksSdk = typeof import('@aws-sdk/client-eks');
type Ec2Sdk = typeof import('@aws-sdk/client-ec2');

function eksPath(run: Run, region: string, ...segments: string[]): string {
  const last = segments.pop()!;
  return ['aws', safeSegment(run.account), 'eks', safeSegment(region), ...segments.map(safeSegment), `${safeSegment(last)}.json`].join('/');
}

/** Every page of a `nextToken` list. */
async function listAll<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; nextToken?: string | undefined }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await fetch(token);
    all.push(...out.items);
    if (!out.nextToken) break;
    token = out.nextToken;
  }
  return all;
}

async function collectEks(run: Run, region: string, eks: InstanceType<EksSdk['EKSClient']>, sdk: EksSdk, ec2: InstanceType<Ec2Sdk['EC2Client']>, ec2Sdk: Ec2Sdk): Promise<void> {
  let names: string[];
  try {
    names = await listAll(async (nextToken) => {
      const out = await eks.send(new sdk.ListClustersCommand({ ...(nextToken ? { nextToken } : {}) }), run.abort);
      return { items: out.clusters ?? [], nextToken: out.nextToken };
    });
  } catch (e) {
    failed(run, `EKS clusters in ${region} (eks:ListClusters)`, e);
    return;
  }
  const templates = new Map<string, string | undefined>();
  for (const name of names) {
    let cluster;
    try {
      cluster = (await eks.send(new sdk.DescribeClusterCommand({ name }), run.abort)).cluster;
    } catch (e) {
      if (!failed(run, `EKS cluster ${name} in ${region} (eks:DescribeCluster)`, e)) return;
      continue;
    }
    if (!cluster) continue;
    const body = plain(cluster);
    delete body.certificateAuthority;
    const arn = typeof body.arn === 'string' ? body.arn : `arn:aws:eks:${region}:${run.account}:cluster/${name}`;
    const clusterResource = liveResource({ id: `aws:${run.account}:eks:${region}:cluster/${name}`, type: 'aws.eks.Cluster', name, file: eksPath(run, region, 'clusters', name), logicalLocation: arn, body });
    run.resources.push(clusterResource);
    const info: ClusterInfo = { name, provider: 'aws', account: run.account, resourceId: clusterResource.id };
    if (cluster.identity?.oidc?.issuer) info.issuer = cluster.identity.oidc.issuer;
    run.clusters.push(info);
    await collectNodeGroups(run, region, name, eks, sdk, templates);
    await collectPodIdentityAssociations(run, region, name, eks, sdk);
  }
  for (const [id, version] of templates) await collectLaunchTemplate(run, region, id, version, ec2, ec2Sdk);
}

async function collectNodeGroups(run: Run, region: string, clusterName: string, eks: InstanceType<EksSdk['EKSClient']>, sdk: EksSdk, templates: Map<string, string | undefined>): Promise<void> {
  let names: string[];
  try {
    names = await listAll(async (nextToken) => {
      const out = await eks.send(new sdk.ListNodegroupsCommand({ clusterName, ...(nextToken ? { nextToken } : {}) }), run.abort);
      return { items: out.nodegroups ?? [], nextToken: out.nextToken };
    });
  } catch (e) {
    failed(run, `node groups of EKS cluster ${clusterName} (eks:ListNodegroups)`, e);
    return;
  }
  for (const nodegroupName of names) {
    try {
      const ng = (await eks.send(new sdk.DescribeNodegroupCommand({ clusterName, nodegroupName }), run.abort)).nodegroup;
      if (!ng) continue;
      const body = plain(ng);
      const arn = typeof body.nodegroupArn === 'string' ? body.nodegroupArn : `arn:aws:eks:${region}:${run.account}:nodegroup/${clusterName}/${nodegroupName}`;
      run.resources.push(liveResource({ id: `aws:${run.account}:eks:${region}:nodegroup/${clusterName}/${nodegroupName}`, type: 'aws.eks.NodeGroup', name: nodegroupName, file: eksPath(run, region, 'clusters', clusterName, 'nodegroups', nodegroupName), logicalLocation: arn, body }));
      const lt = ng.launchTemplate;
      if (lt?.id) templates.set(lt.id, lt.version);
    } catch (e) {
      if (!failed(run, `node group ${nodegroupName} of EKS cluster ${clusterName} (eks:DescribeNodegroup)`, e)) return;
    }
  }
}

async function collectPodIdentityAssociations(run: Run, region: string, clusterName: string, eks: InstanceType<EksSdk['EKSClient']>, sdk: EksSdk): Promise<void> {
  let ids: string[];
  try {
    ids = await listAll(async (nextToken) => {
      const out = await eks.send(new sdk.ListPodIdentityAssociationsCommand({ clusterName, ...(nextToken ? { nextToken } : {}) }), run.abort);
      return { items: (out.associations ?? []).map((a) => a.associationId).filter((x): x is string => typeof x === 'string'), nextToken: out.nextToken };
    });
  } catch (e) {
    failed(run, `Pod Identity associations of EKS cluster ${clusterName} (eks:ListPodIdentityAssociations)`, e);
    return;
  }
  for (const associationId of ids) {
    try {
      const a = (await eks.send(new sdk.DescribePodIdentityAssociationCommand({ clusterName, associationId }), run.abort)).association;
      if (!a) continue;
      const body = plain(a);
      const arn = typeof body.associationArn === 'string' ? body.associationArn : `arn:aws:eks:${region}:${run.account}:podidentityassociation/${clusterName}/${associationId}`;
      const display = `${clusterName}/${String(body.namespace ?? '')}/${String(body.serviceAccount ?? '')}`;
      run.resources.push(liveResource({ id: `aws:${run.account}:eks:${region}:podidentityassociation/${clusterName}/${associationId}`, type: 'aws.eks.PodIdentityAssociation', name: display, file: eksPath(run, region, 'clusters', clusterName, 'pod-identity-associations', associationId), logicalLocation: arn, body }));
    } catch (e) {
      if (!failed(run, `Pod Identity association ${associationId} of EKS cluster ${clusterName} (eks:DescribePodIdentityAssociation)`, e)) return;
    }
  }
}

async function collectLaunchTemplate(run: Run, region: string, id: string, version: string | undefined, ec2: InstanceType<Ec2Sdk['EC2Client']>, sdk: Ec2Sdk): Promise<void> {
  try {
    const out = await ec2.send(new sdk.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: [version ?? '$Default'] }), run.abort);
    for (const v of out.LaunchTemplateVersions ?? []) {
      const src = plain(v);
      const name = typeof src.LaunchTemplateName === 'string' ? src.LaunchTemplateName : id;
      const body: JsonObject = { LaunchTemplateName: name, LaunchTemplateId: id, VersionNumber: src.VersionNumber ?? null, LaunchTemplateData: plain(v.LaunchTemplateData) };
      // User data often carries bootstrap secrets; rules never need it.
      delete (body.LaunchTemplateData as JsonObject).UserData;
      const arn = `arn:aws:ec2:${region}:${run.account}:launch-template/${id}`;
      run.resources.push(liveResource({ id: `aws:${run.account}:ec2:${region}:launch-template/${id}`, type: 'aws.ec2.LaunchTemplate', name, file: ['aws', safeSegment(run.account), 'ec2', safeSegment(region), 'launch-templates', `${safeSegment(name)}.json`].join('/'), logicalLocation: arn, body }));
    }
  } catch (e) {
    failed(run, `launch template ${id} in ${region} (ec2:DescribeLaunchTemplateVersions)`, e);
  }
}
