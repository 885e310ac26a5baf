/**
 * AWS Security Hub findings (ASFF, schema 2018-10-08): the JSON array that
 * `aws securityhub batch-import-findings --findings file://…` takes (at most 100 per call), one
 * finding per unsuppressed podtrust finding. The account and region say where Security Hub files
 * them: `ProductArn` is the account's own default product, as for any custom integration.
 */
import type { ScanResult } from '../engine/result.js';
import type { Severity } from '../model/types.js';
import { findingRecords, shownAt, truncate, type FindingRecord } from './finding-records.js';
import { jsonText } from './json-text.js';
import { PodtrustError } from '../errors.js';

export interface AsffOptions {
  account?: string;
  region?: string;
  finishedAt?: Date;
}

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };
/** Security Hub's normalized severity for each label (the middle of its range). */
const NORMALIZED: Record<Severity, number> = { critical: 90, high: 70, medium: 40, low: 1 };

/** The account and region, from the options or AWS_ACCOUNT_ID and AWS_REGION / AWS_DEFAULT_REGION; a usage error naming what is missing. */
export function asffTarget(opts: AsffOptions, env: NodeJS.ProcessEnv = process.env): { account: string; region: string } {
  const account = opts.account ?? env.AWS_ACCOUNT_ID;
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (account === undefined || !/^\d{12}$/.test(account)) {
    throw new PodtrustError('usage', `the asff format needs the 12-digit AWS account to file findings in: --asff-account ID or AWS_ACCOUNT_ID${account !== undefined ? ` (got "${account.slice(0, 40)}")` : ''}`);
  }
  if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new PodtrustError('usage', `the asff format needs the AWS region of Security Hub: --asff-region REGION, AWS_REGION or AWS_DEFAULT_REGION${region !== undefined ? ` (got "${region.slice(0, 40)}")` : ''}`);
  }
  return { account, region };
}

function resourceOf(r: FindingRecord, partition: string, region: string) {
  const logical = r.logical ?? r.finding.location.logical;
  const isArn = logical?.startsWith('arn:') === true;
  return {
    Type: isArn && logical!.includes(':role/') ? 'AwsIamRole' : 'Other',
    Id: truncate(isArn ? logical! : logical ?? `${shownAt(r)}#${r.finding.resource.name}`, 512),
    Partition: partition,
    Region: region,
    Details: {
      Other: {
        'podtrust/resource': truncate(r.finding.resource.name, 1024),
        'podtrust/resourceType': r.finding.resource.type,
        'podtrust/file': truncate(r.file, 1024),
        ...(r.startLine !== undefined ? { 'podtrust/line': String(r.startLine) } : {}),
      },
    },
  };
}

export function renderAsff(result: ScanResult, opts: AsffOptions = {}): string {
  const { account, region } = asffTarget(opts);
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const now = (opts.finishedAt ?? new Date()).toISOString();
  const findings = findingRecords(result).map((r) => ({
    SchemaVersion: '2018-10-08',
    Id: `podtrust/${account}/${r.finding.fingerprint}`,
    ProductArn: `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`,
    GeneratorId: `podtrust/${r.ruleId}`,
    AwsAccountId: account,
    Types: [`Software and Configuration Checks/AWS Security Best Practices/${r.ruleId}`],
    CreatedAt: now,
    UpdatedAt: now,
    Severity: { Label: LABEL[r.severity], Normalized: NORMALIZED[r.severity], Original: r.severity },
    Title: truncate(`${r.title} (${r.ruleId})`, 256),
    Description: truncate(`${r.message} — at ${shownAt(r)}`, 1024),
    ...(r.rule ? { Remediation: { Recommendation: { Text: truncate(r.rule.remediation, 512), Url: r.helpUri } } } : {}),
    ProductFields: { 'podtrust/RuleId': r.ruleId, 'podtrust/Fingerprint': r.finding.fingerprint, 'podtrust/Origin': r.finding.origin },
    Resources: [resourceOf(r, partition, region)],
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
  }));
  return jsonText(findings);
}
