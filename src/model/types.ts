/**
 * The data model every part of podtrust shares.
 *
 * sources → collectors → `Resource[]` (in an {@link Inventory}) → rules → {@link Finding}[] → reporters.
 *
 * Everything here is plain JSON-serializable data: an inventory can be saved by
 * `podtrust collect` and audited later by `podtrust scan --inventory`.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A 1-based source range. `endLine`/`endColumn` are inclusive of the last character's line and exclusive column. */
export interface Position {
  /** Set when the position lies in another file than the resource's (a module caller's input). */
  file?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * Positions of a resource's fields, keyed by RFC 6901 JSON pointer into `Resource.body`
 * (`""` is the resource itself; `/metadata/annotations/eks.amazonaws.com~1role-arn` one annotation).
 * The engine resolves a pointer to the closest ancestor that has a position, so collectors
 * record what they know and rules never touch line numbers.
 */
export type PositionMap = Record<string, Position>;

/**
 * A value a collector could not resolve statically (an unresolved Terraform expression,
 * a CloudFormation `!GetAtt`). Rules never guess through it; they may use what is known:
 * a known `prefix`/`suffix` of an interpolated string, and `ref`, the inventory resource
 * the value is an attribute of (`aws_iam_openid_connect_provider.eks.url`).
 */
export interface Unknown {
  $unknown: string;
  prefix?: string;
  suffix?: string;
  ref?: { id: string; attribute: string };
}

export type SourceFormat =
  | 'kubernetes'
  | 'iam-json'
  | 'terraform'
  | 'terraform-plan'
  | 'cloudformation'
  | 'arm'
  | 'cli-json'
  | 'eksctl'
  | 'live';

/**
 * Canonical resource types. A collector translates every source into the provider's API
 * shape for that type, so one rule serves IaC and live data.
 *
 * - `k8s.<Kind>`: the object as the API server returns it.
 * - `aws.iam.Role`: GetAccountAuthorizationDetails `RoleDetail` shape: `RoleName`, `Arn?`,
 *   `AssumeRolePolicyDocument` (decoded object), `AttachedManagedPolicies?`
 *   (`[{PolicyName?, PolicyArn}]`), `RolePolicyList?` (`[{PolicyName, PolicyDocument}]`),
 *   `PermissionsBoundary?`, `Tags?`.
 * - `aws.iam.OIDCProvider`: `{ Arn?, Url, ClientIDList?, ThumbprintList? }` (GetOpenIDConnectProvider).
 * - `aws.iam.Policy`: customer managed policy `{ PolicyName, Arn?, PolicyDocument }`.
 * - `aws.eks.Cluster`: DescribeCluster `cluster` shape (`name`, `arn?`, `identity.oidc.issuer`).
 * - `aws.eks.PodIdentityAssociation`: `{ clusterName, namespace, serviceAccount, roleArn, targetRoleArn? }`
 *   (`targetRoleArn`: the role EKS assumes with `roleArn`'s credentials and hands to the pod — role chaining).
 * - `aws.eks.NodeGroup`: `{ nodegroupName, clusterName, nodeRole, launchTemplate?, amiType? }`.
 * - `aws.ec2.LaunchTemplate`: `{ LaunchTemplateName, LaunchTemplateData: { MetadataOptions?, IamInstanceProfile? } }`.
 * - `azure.msi.UserAssignedIdentity`: ARM shape `{ id?, name, properties: { clientId?, principalId?, tenantId? } }`
 *   (computed values are Unknowns referring to the identity).
 * - `azure.msi.FederatedIdentityCredential`: `{ id?, name, identityId, parentType: 'userAssignedIdentity' | 'application',
 *   properties: { issuer, subject?, audiences[], claimsMatchingExpression?: { value, languageVersion } } }`;
 *   `identityId` is the parent's id, or an Unknown referring to it.
 * - `azure.authorization.RoleAssignment`: `{ name?, properties: { scope, roleDefinitionId?, roleDefinitionName?, principalId,
 *   principalType? }, scopeInfo?: { level: 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource',
 *   managementGroup?, subscription?, resourceGroup?, resource? } }` (`scopeInfo` absent when the scope cannot be read).
 * - `azure.aks.ManagedCluster`: `{ id?, name, properties: { oidcIssuerProfile: { enabled, issuerURL? },
 *   securityProfile: { workloadIdentity: { enabled } }, agentPoolProfiles: [{ name, osType }], podIdentityProfile? } }`.
 * - `azure.aks.AgentPool`: `{ id?, name, clusterId, properties: { osType, osSKU?, mode? } }`.
 * - `gcp.container.Cluster`: GKE `Cluster` shape: `{ name, location?, project?, resourceLabels?,
 *   workloadIdentityConfig?: { workloadPool }, autopilot?: { enabled }, nodeConfig?, nodePools?: [{ name, config }],
 *   removeDefaultNodePool? }` (the last from Terraform / Config Connector: the default pool is deleted).
 * - `gcp.container.NodePool`: `{ name, cluster, location?, project?, config: { workloadMetadataConfig?: { mode?, nodeMetadata? },
 *   serviceAccount?, imageType? } }` (`nodeMetadata`: the deprecated `node_metadata`).
 * - `gcp.iam.ServiceAccount`: `{ email, accountId?, projectId?, displayName? }`.
 * - `gcp.iam.Binding`: one role binding of an IAM policy: `{ resource: { type: 'project'|'folder'|'organization'|'serviceAccount'|<other kind>,
 *   name }, role, members[], condition? }`. Authoritative policies are split into one binding per role.
 */
export type ResourceType = string;

/** A suppression written in the source itself (annotation or comment). */
export interface InSourceSuppression {
  ruleId: string;
  justification: string;
  /** Where the suppression is written. */
  position?: Position;
  /** The part of the resource it covers (JSON pointer; `''` = all of it). */
  pointer: string;
}

/**
 * Kinds of credential a collector finds. The first three are static cloud credentials; the others
 * are redacted as well but are not cloud credentials.
 */
export type CredentialKind =
  | 'aws-access-key'
  | 'azure-client-secret'
  | 'gcp-service-account-key'
  /** A kubeconfig user's bearer token, password, client key or auth-provider token. */
  | 'kubernetes-credential'
  /** A PEM private key (or its base64) that belongs to no cloud key file. */
  | 'private-key';

export const CREDENTIAL_KINDS: readonly CredentialKind[] = ['aws-access-key', 'azure-client-secret', 'gcp-service-account-key', 'kubernetes-credential', 'private-key'];

/**
 * A credential a collector found in a resource and redacted there: its kind and where it was,
 * never any part of a secret value nor a hash of one.
 */
export interface CredentialEvidence {
  kind: CredentialKind;
  /** The name that holds it: a data key, an env variable, a field, a command-line flag. */
  key: string;
  /** JSON pointer into the body of the element that holds it (an env entry, a data key, a field); the engine resolves it to a line. */
  pointer: string;
  /** How it was recognised (`secret access key`, `shared credentials file`, `kubeconfig bearer token`); never a value. */
  form: string;
  /** First 4 characters of an identifier that is not secret (an access key id, a client id). */
  idPrefix?: string;
}

export interface Resource {
  /** Unique within an inventory and stable across runs (never contains a line number). */
  id: string;
  type: ResourceType;
  /** Display name: `namespace/name` for namespaced Kubernetes objects, role name, Terraform address. */
  name: string;
  namespace?: string;
  /** The file that defines it, as scanned (absolute); live objects: a stable per-object path. */
  file: string;
  format: SourceFormat;
  /** Terraform address (`module.irsa.aws_iam_role.this[0]`), CloudFormation logical id. */
  address?: string;
  /** The canonical API shape (see {@link ResourceType}). May contain {@link Unknown} values. */
  body: JsonValue;
  positions: PositionMap;
  /** Name of the cluster a Kubernetes object belongs to (see DESIGN, "Which cluster"). */
  cluster?: string;
  /** API reference or ARN, for SARIF logical locations. */
  logicalLocation?: string;
  suppressions?: InSourceSuppression[];
  /** Where this resource was produced from a module: the caller's location to point at. */
  via?: {
    file: string;
    position: Position;
    module: string;
    /** The module's own definition of the resource (a file under `.terraform/`): a related location only. */
    definedAt?: { file: string; position: Position };
    /** The module version a model of a public module assumed (the call's version constraint admits several majors, or none). */
    assumption?: string;
  };
  /** Pointers into `body` of values a module generates itself rather than taking from its caller. */
  generated?: string[];
  /** Credentials found in the source and redacted in `body` (see src/credentials/redact.ts). */
  credentials?: CredentialEvidence[];
}

export type CoverageKind =
  | 'parse-error'
  | 'unsupported'
  | 'skipped'
  | 'unresolved'
  | 'permission'
  | 'limit'
  | 'rule-error'
  | 'module'
  /** An input whose collection failed on an unexpected exception (a programming error it brought out). */
  | 'internal-error'
  /** A worker thread ended; its jobs were collected in the main thread. About the run, not an input. */
  | 'worker-failed'
  /** A file named on the command line, or the whole scan, from which nothing was analysed (a warning: never a silent pass). */
  | 'nothing-analysed';

/** Something the scan could not read or decide. `error` level notes make the scan partial (exit 2). */
export interface CoverageNote {
  kind: CoverageKind;
  level: 'error' | 'warning' | 'note';
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface ClusterInfo {
  name: string;
  provider?: 'aws' | 'azure' | 'gcp' | 'other';
  /** OIDC issuer URL as the cluster publishes it (`https://oidc.eks.eu-west-1.amazonaws.com/id/ABC`). */
  issuer?: string;
  /** Inventory id of the resource that defines the cluster, when it comes from IaC. */
  resourceId?: string;
  account?: string;
  environment?: string;
  /** True when the scan holds every object of the cluster (a live scan). */
  complete?: boolean;
  /** GKE: the workload identity pool (`<project>.svc.id.goog`, or a fleet host project's pool). */
  workloadPool?: string;
}

export interface Inventory {
  /** 2 when it records fleet coverage (`collect --shard`); 1 otherwise, as every older podtrust wrote. */
  version: 1 | 2;
  resources: Resource[];
  clusters: ClusterInfo[];
  notes: CoverageNote[];
  /** The live targets a sharded collection planned and read (see src/fleet/coverage.ts). */
  fleet?: FleetCoverage;
  /** What became of each input file of this scan (see src/model/ledger.ts). Not saved in snapshots: it describes one scan's inputs. */
  inputs?: InputLedger;
}

/** A share of a fleet's live targets (`k8s:<context>`, `aws:<account>`, `gcp:<project>`, `azure:<subscription>`). */
export interface FleetCoverage {
  shard: { index: number; count: number };
  /** Every target of the fleet, as each shard lists it before taking its share. */
  targets: string[];
  /** The targets this inventory read. */
  covered: string[];
}

/** The state an input file ends in: exactly one per file given or found. */
export type InputState = 'analysed' | 'not-analysed' | 'not-infrastructure' | 'excluded' | 'unparsable';
export const INPUT_STATES: readonly InputState[] = ['analysed', 'not-analysed', 'not-infrastructure', 'excluded', 'unparsable'];
/** How reports name each state. */
export const INPUT_STATE_LABEL: Readonly<Record<InputState, string>> = {
  analysed: 'analysed',
  'not-analysed': 'recognised but not analysed',
  'not-infrastructure': 'not infrastructure',
  excluded: 'excluded',
  unparsable: 'unparsable',
};

/** One input file (or, for `excluded`, a file or a whole skipped folder) and what became of it. */
export interface LedgerEntry {
  /** Absolute path as scanned (`<stdin>` for standard input); an excluded folder is one entry. */
  file: string;
  state: InputState;
  /** `analysed`/`not-analysed`: the formats recognised (`Kubernetes manifest`, `Terraform`). */
  format?: string;
  /** `analysed`: the resources it produced (objects of kinds no rule reads not counted). */
  resources?: number;
  /** `excluded`: a folder that was not walked (counted once, not file by file). */
  folder?: boolean;
  /** `excluded`: why (`--exclude <glob>`, `skipped folder`); `unparsable`: the first error. */
  reason?: string;
}

/** Kubernetes objects of kinds no rule reads (see src/model/read-kinds.ts). */
export interface UnreadObjects {
  count: number;
  /** Kind → objects, most first (`Ingress 5, Service 3`). */
  byKind: Record<string, number>;
}

/** The input ledger: every input file of a scan in one state. Entries sorted by file. */
export interface InputLedger {
  entries: LedgerEntry[];
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
/** Lower rank = more severe: findings sort critical first. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** A resolved place in a file, or a live object's stable path. */
export interface Location {
  file: string;
  position?: Position;
  /** ARN, API reference or resource id of a live object. */
  logical?: string;
  message?: string;
  /** Inventory id of the resource this location is in (reports use it to tie findings to identities). */
  resourceId?: string;
}

export interface Suppression {
  kind: 'inSource' | 'external';
  justification: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Which of the rule's `meta.messages` the message is, when the rule declares them. */
  messageId?: string;
  resource: { id: string; type: string; name: string; namespace?: string; address?: string };
  /** JSON pointer into the resource the finding is about. */
  pointer: string;
  location: Location;
  related: Location[];
  /** Stable across line moves: derived from rule, resource and pointer (and a rule-chosen key), never from values. */
  fingerprint: string;
  suppression?: Suppression;
  /** Redacted facts for reports (never a secret value). */
  evidence?: Record<string, string>;
  origin: 'iac' | 'live';
  /** Set by baselines: whether the finding was in the baseline. */
  baselineState?: 'new' | 'unchanged';
}

/** Read access to the inventory that derived views need. */
export interface InventoryIndex {
  readonly clusters: readonly ClusterInfo[];
  resourceById(id: string): Resource | undefined;
  ofType(type: ResourceType): readonly Resource[];
}
