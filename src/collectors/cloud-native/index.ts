/**
 * Cloud resources managed from Kubernetes (ACK, Crossplane's AWS providers, Azure Service
 * Operator): the Kubernetes collector keeps the objects as they are; this adds, in the same file
 * and with positions, the canonical cloud resources they describe, so the AWS and Azure rules serve
 * them like Terraform. Config Connector is translated in ../gcp/config-connector.ts.
 */
import { account, type CollectOptions, type CollectResult, type SourceFile } from '../types.js';
import { ASO_FORMAT, AUTHORIZATION_GROUP, IDENTITY_GROUP, translateAso } from './azure.js';
import { AWS_FORMATS, awsFamily, translateAwsIam } from './aws-iam.js';
import { Emitter, readObject } from './source.js';

function isCloudGroup(group: string): boolean {
  return awsFamily(group) !== undefined || group === IDENTITY_GROUP || group === AUTHORIZATION_GROUP;
}

/**
 * Adds to `result` (the Kubernetes objects of one document of `file`) the cloud resources they
 * describe; `fileResult` (the whole file's, which the document's joins) accounts for the file once.
 */
export function withCloudNative(result: CollectResult, file: SourceFile, opts: CollectOptions, fileResult: CollectResult): CollectResult {
  let em: Emitter | undefined;
  const formats = new Set<string>();
  for (const r of result.resources) {
    const o = readObject(r);
    if (!o || !isCloudGroup(o.group)) continue;
    em ??= new Emitter({ file: file.path, text: file.text, limits: opts.limits, notes: result.notes });
    const family = awsFamily(o.group);
    if (family ? translateAwsIam(o, family, em) : translateAso(o, em)) formats.add(family ? AWS_FORMATS[family] : ASO_FORMAT);
  }
  if (em) result.resources.push(...em.out);
  for (const format of formats) {
    if (!fileResult.accounts?.some((a) => a.file === file.path && a.format === format)) account(fileResult, file.path, format);
  }
  return result;
}
