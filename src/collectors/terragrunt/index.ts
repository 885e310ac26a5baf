/** Terragrunt units, evaluated by the Terraform collection as root modules that call one module each. */
export { isTerragruntFile, isTerragruntName } from './names.js';
export { type TerraformProject, type TerragruntUnits, type Unit, readUnits } from './units.js';
export { UnitInstance } from './unit-instance.js';
export { markModuleOrigins } from './via.js';
