/** Models of public Terraform modules: what a call creates, computed from its documented inputs. */
import type { Position, PositionMap } from '../../../model/types.js';
import type { ObjectValue, Value } from '../values.js';

/** What a model sees of one module call instance. */
export interface ModelCall {
  /** The module major version the call is evaluated as. */
  major: number;
  /** The call's arguments, evaluated in the caller's scope. */
  inputs: ObjectValue;
  /** Positions of the arguments, keyed by pointers into `inputs` (with their files). */
  inputPositions: PositionMap;
  /** The module call block's position (with its file): where a module default is shown. */
  callPosition: Position & { file: string };
  /** Inventory id of a resource the module creates, by its address inside the module (`aws_iam_role.this[0]`). */
  idFor(localAddress: string): string;
  /** Names, as a warning at the call, what the model recognises in this call but cannot analyse. */
  unread?(reason: string): void;
  /** Names, as an unresolved note at the call, a part of the call whose presence depends on an input not known statically. */
  undecided?(what: string): void;
}

/** One resource the module creates, as Terraform attribute values of its resource type. */
export interface ModelledResource {
  /** Terraform resource type (`aws_iam_role`), mapped by the same table as written resources. */
  type: string;
  /** Address inside the module (`aws_iam_role.this[0]`). */
  localAddress: string;
  values: ObjectValue;
  /** Positions keyed by pointers into `values`. */
  positions: PositionMap;
  /** Pointers into the canonical body of values the module generates itself (not the caller's choice). */
  generated?: string[];
}

export interface ModuleModel {
  /** Registry address (`terraform-aws-modules/iam/aws`). */
  address: string;
  /** The `//subdir` the model covers, per major version (`''` = the module root). */
  subdirs: Record<number, string>;
  /** Where the facts come from (module README / source), for maintainers. */
  documentedAt: string[];
  resources(call: ModelCall): ModelledResource[];
  /** Values of the module's outputs that refer to modelled resources. */
  output?(call: ModelCall, name: string): Value | undefined;
}
