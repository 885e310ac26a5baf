/**
 * Which files Terraform and OpenTofu read, by name: configuration in native syntax (`.tf`,
 * `.tofu`) or JSON syntax (`.tf.json`, `.tofu.json`), and the variable files loaded automatically.
 */
import { basename, dirname, join } from 'node:path';

export type TerraformFileKind = 'config' | 'config-json' | 'tfvars' | 'tfvars-json';

/** What a file is to Terraform/OpenTofu, from its name; undefined for any other file. */
export function terraformFileKind(path: string): TerraformFileKind | undefined {
  const name = basename(path);
  if (name.endsWith('.tf') || name.endsWith('.tofu')) return 'config';
  if (name.endsWith('.tf.json') || name.endsWith('.tofu.json')) return 'config-json';
  if (name === 'terraform.tfvars' || name.endsWith('.auto.tfvars')) return 'tfvars';
  if (name === 'terraform.tfvars.json' || name.endsWith('.auto.tfvars.json')) return 'tfvars-json';
  return undefined;
}

export function isTerraformFileName(name: string): boolean {
  return terraformFileKind(name) !== undefined;
}

/** A file of a module's configuration (not a variable file). */
export function isConfigFile(path: string): boolean {
  const kind = terraformFileKind(path);
  return kind === 'config' || kind === 'config-json';
}

export function isTfvarsFile(path: string): boolean {
  const kind = terraformFileKind(path);
  return kind === 'tfvars' || kind === 'tfvars-json';
}

/** How the ledger names a file's format. */
export function terraformFormat(path: string): string {
  const name = basename(path);
  if (name.endsWith('.tofu')) return 'OpenTofu';
  if (name.endsWith('.tofu.json')) return 'OpenTofu JSON';
  return terraformFileKind(path)?.endsWith('-json') ? 'Terraform JSON' : 'Terraform';
}

/**
 * The order Terraform applies variable files in, later ones winning: `terraform.tfvars`,
 * `terraform.tfvars.json`, then the `*.auto.tfvars(.json)` files by name.
 */
export function tfvarsRank(path: string): number {
  const name = basename(path);
  return name === 'terraform.tfvars' ? 0 : name === 'terraform.tfvars.json' ? 1 : 2;
}

/**
 * The `.tofu` file OpenTofu loads in place of a configuration file of the same folder (`x.tofu`
 * replaces `x.tf`, `x.tofu.json` replaces `x.tf.json`), when it is among `present`.
 */
export function tofuReplacement(path: string, present: ReadonlySet<string>): string | undefined {
  const name = basename(path);
  const alternative = name.endsWith('.tf') ? `${name.slice(0, -3)}.tofu` : name.endsWith('.tf.json') ? `${name.slice(0, -8)}.tofu.json` : undefined;
  if (alternative === undefined) return undefined;
  const full = join(dirname(path), alternative);
  return present.has(full) ? full : undefined;
}
