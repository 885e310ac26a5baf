/** Which files are Terragrunt configuration, by name. */
import { basename } from 'node:path';

/** A unit: one deployment of one Terraform module. */
export const UNIT_FILE = 'terragrunt.hcl';
/** The parent configuration units include by convention (`find_in_parent_folders("root.hcl")`). */
export const ROOT_FILE = 'root.hcl';

/** A name the walk hands to the Terraform collection: units and the root configuration they include. */
export function isTerragruntName(name: string): boolean {
  return name === UNIT_FILE || name === ROOT_FILE;
}

export function isTerragruntFile(path: string): boolean {
  return isTerragruntName(basename(path));
}

export function isUnitFile(path: string): boolean {
  return basename(path) === UNIT_FILE;
}
