import { describe, expect, it } from 'vitest';
import { classifyIssuer, normalizeIssuer, resolveConditionKey, resolveIssuer } from '../../src/federation/issuers.js';
import { unknown } from '../../src/model/unknown.js';
import { index, resource } from './inventory-stub.js';

const EKS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';

describe('normalizeIssuer', () => {
  it.each([
    ['https://oidc.eks.eu-west-1.amazonaws.com/id/ABC/', 'oidc.eks.eu-west-1.amazonaws.com/id/ABC'],
    ['HTTPS://Token.Actions.GithubUserContent.com', 'token.actions.githubusercontent.com'],
    ['gitlab.com//', 'gitlab.com'],
    ['container.googleapis.com/v1/projects/P/locations/L/clusters/C', 'container.googleapis.com/v1/projects/P/locations/L/clusters/C'],
  ])('%s', (input, expected) => {
    expect(normalizeIssuer(input)).toBe(expected);
  });
});

describe('classifyIssuer', () => {
  it.each([
    [EKS, 'kubernetes', undefined],
    ['oidc-eks.us-east-1.api.aws/id/ABC', 'kubernetes', undefined],
    ['oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC', 'kubernetes', undefined],
    ['westeurope.oic.prod-aks.azure.com/tenant/guid/', 'kubernetes', undefined],
    ['https://container.googleapis.com/v1/projects/p/locations/l/clusters/c', 'kubernetes', undefined],
    ['container.googleapis.com', 'unknown', undefined],
    ['token.actions.githubusercontent.com', 'ci', 'github'],
    ['gitlab.com', 'ci', 'gitlab'],
    ['app.terraform.io', 'ci', 'terraform-cloud'],
    ['oidc.circleci.com/org/123', 'ci', 'circleci'],
    ['api.bitbucket.org/2.0/workspaces/w/pipelines-config/identity/oidc', 'ci', 'bitbucket'],
    ['agent.buildkite.com', 'ci', 'buildkite'],
    ['accounts.google.com', 'other-known', undefined],
    ['cognito-identity.amazonaws.com', 'other-known', undefined],
    ['tenant.eu.auth0.com', 'other-known', undefined],
    ['acme.okta.com/oauth2/default', 'other-known', undefined],
    ['sts.windows.net/tenant/', 'other-known', undefined],
    ['login.microsoftonline.com/tenant/v2.0', 'other-known', undefined],
    ['k8s.example.com', 'unknown', undefined],
    ['evil-oidc.eks.eu-west-1.amazonaws.com.attacker.io', 'unknown', undefined],
  ])('%s → %s', (host, kind, ci) => {
    expect(classifyIssuer(host)).toEqual(ci ? { kind, ci } : { kind });
  });
});

describe('resolveIssuer', () => {
  const provider = resource('tf:main.tf:aws_iam_openid_connect_provider.eks', 'aws.iam.OIDCProvider', {
    Arn: `arn:aws:iam::111122223333:oidc-provider/${EKS}`,
    Url: `https://${EKS}`,
    ClientIDList: ['sts.amazonaws.com'],
  });

  it('resolves a provider ARN and joins the provider in the scan', () => {
    const issuer = resolveIssuer(`arn:aws:iam::111122223333:oidc-provider/${EKS}`, index([provider]));
    expect(issuer).toEqual({ key: EKS, host: EKS, kind: 'kubernetes', providerId: provider.id, providerAudiences: ['sts.amazonaws.com'] });
  });

  it('resolves a provider ARN without the provider in the scan', () => {
    expect(resolveIssuer('arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', index())).toEqual({
      key: 'token.actions.githubusercontent.com',
      host: 'token.actions.githubusercontent.com',
      kind: 'ci',
      ci: 'github',
    });
  });

  it('marks the issuer of a scanned cluster', () => {
    const issuer = resolveIssuer('arn:aws:iam::1:oidc-provider/k8s.example.com/cluster', index([], [{ name: 'onprem', issuer: 'https://k8s.example.com/cluster/' }]));
    expect(issuer).toMatchObject({ key: 'k8s.example.com/cluster', kind: 'kubernetes', cluster: 'onprem' });
  });

  it('follows an Unknown reference to a provider whose Url refers to a cluster', () => {
    const cluster = resource('tf:main.tf:aws_eks_cluster.this', 'aws.eks.Cluster', { name: 'prod', identity: { oidc: { issuer: unknown('aws_eks_cluster.this.identity[0].oidc[0].issuer', { ref: { id: 'tf:main.tf:aws_eks_cluster.this', attribute: 'identity.oidc.issuer' } }) } } });
    const p = resource('tf:main.tf:aws_iam_openid_connect_provider.this', 'aws.iam.OIDCProvider', {
      Url: unknown('aws_eks_cluster.this.identity[0].oidc[0].issuer', { ref: { id: cluster.id, attribute: 'identity.oidc.issuer' } }),
      ClientIDList: ['sts.amazonaws.com'],
    });
    const principal = unknown('aws_iam_openid_connect_provider.this.arn', { ref: { id: p.id, attribute: 'arn' } });
    const issuer = resolveIssuer(principal, index([cluster, p], [{ name: 'prod', provider: 'aws', resourceId: cluster.id }]));
    expect(issuer).toEqual({ key: `ref:${cluster.id}`, kind: 'kubernetes', cluster: 'prod', providerId: p.id, providerAudiences: ['sts.amazonaws.com'] });
  });

  it('uses a known suffix naming the provider host', () => {
    const principal = unknown('"arn:aws:iam::${var.account}:oidc-provider/..."', { suffix: `:oidc-provider/${EKS}` });
    expect(resolveIssuer(principal, index())).toMatchObject({ key: EKS, kind: 'kubernetes' });
  });

  it('keeps an unresolvable principal unknown', () => {
    expect(resolveIssuer(unknown('var.provider_arn'), index())).toEqual({ key: 'unresolved:var.provider_arn', kind: 'unknown' });
  });
});

describe('resolveConditionKey', () => {
  it.each([
    [`${EKS}:sub`, 'sub', EKS],
    [`${EKS.toUpperCase()}:AUD`, 'aud', undefined],
    ['token.actions.githubusercontent.com:sub', 'sub', 'token.actions.githubusercontent.com'],
    ['aws:SourceAccount', undefined, undefined],
    ['${aws_iam_openid_connect_provider.eks.url}:sub', 'sub', undefined],
    ['${local.condition_key}', undefined, undefined],
  ])('%s', (key, claim, issuerKey) => {
    const r = resolveConditionKey(key, index());
    expect(r.claim).toBe(claim);
    if (issuerKey) expect(r.issuer?.key).toBe(issuerKey);
  });

  it('resolves an Unknown key through its reference', () => {
    const provider = resource('p', 'aws.iam.OIDCProvider', { Url: `https://${EKS}` });
    const r = resolveConditionKey(unknown('provider.url:sub', { suffix: ':sub', ref: { id: 'p', attribute: 'url' } }), index([provider]));
    expect(r.claim).toBe('sub');
    expect(r.issuer).toMatchObject({ key: EKS, providerId: 'p' });
  });
});
