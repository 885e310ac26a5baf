/**
 * Cloud resources managed from Kubernetes (ACK, Crossplane's AWS providers, Azure Service
 * Operator): the Kubernetes collector keeps the objects as they are; this adds, in the same file
 * and with positions, the canonical cloud resources they describe, so the AWS and Azure rules serve
 * them like Terraform. Config Connector is translated in ../gcp/config-connector.ts.
 */
import { account, type FileAccount, type CollectOptions, type CollectResult, type SourceFile } from '../types.js';
import { ASO_FORMAT, AUTHORIZATION_GROUP, IDENTITY_GROUP, translateAso } from './azure.js';
import { AWS_FORMATS, awsFamily, translateAwsIam } from './aws-iam.js';
import { Emitter, readObject } from './source.js';
import { KUBERNETES_FORMAT } from '../kubernetes.js';

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
  // A cloud-native format names the file more exactly than the Kubernetes manifest it also is.
  const cloudNative = new Set<string>([...Object.values(AWS_FORMATS), ASO_FORMAT]);
  const generic = (a: FileAccount): boolean => a.file === file.path && a.format === KUBERNETES_FORMAT;
  if (formats.size > 0 && fileResult.accounts) fileResult.accounts = fileResult.accounts.filter((a) => !generic(a));
  if (result.accounts && (formats.size > 0 || fileResult.accounts?.some((a) => a.file === file.path && cloudNative.has(a.format)))) {
    result.accounts = result.accounts.filter((a) => !generic(a));
  }
  for (const format of formats) {
    if (!fileResult.accounts?.some((a) => a.file === file.path && a.format === format)) account(fileResult, file.path, format);
  }
  return result;
}
