/**
 * The cross-cloud federation view: "which issuer, which subjects and which audiences can
 * obtain this identity". Computed once per identity from the inventory; rules read it and
 * never re-parse policies.
 */

/** One allowed or denied value: exact, or with IAM wildcards (`*` any run, `?` one character). */
export interface Pattern {
  value: string;
  wildcard: boolean;
  ignoreCase: boolean;
}

/**
 * A set of strings: those matching any `allow` pattern (every string when `allow` is null)
 * and no `deny` pattern. `unknown` is true when a constraint could not be resolved (an
 * unresolved Terraform expression among the values): answers are then lower bounds and
 * rules that need certainty stay silent.
 */
export interface Matcher {
  allow: Pattern[] | null;
  deny: Pattern[];
  unknown: boolean;
  /**
   * Further allow lists from AND-ed conditions whose intersection has no pattern form
   * (`StringLike a*` AND `StringLike *b`): a value must also match a pattern of each list.
   * Usually absent; read matchers through `src/federation/matcher.ts`, which honours it.
   */
  allowAlso?: Pattern[][];
}

export type NamespaceSpan = 'none' | 'one' | 'several' | 'all';

export type IssuerKind =
  /** A Kubernetes service-account issuer: EKS/AKS/GKE by host, a scanned cluster's issuer, or a trust whose subjects have the `system:serviceaccount:` form. */
  | 'kubernetes'
  /** A CI service's issuer (GitHub Actions, GitLab, HCP Terraform, CircleCI, ...): see src/federation/ci-issuers.ts. */
  | 'ci'
  /** A known non-Kubernetes identity provider (Cognito, Google accounts, Auth0, ...). */
  | 'other-known'
  /** Neither: reported with lower confidence. */
  | 'unknown';

export interface Issuer {
  /** Identity of the issuer for joins: a normalized host+path (`oidc.eks.eu-west-1.amazonaws.com/id/ABC`), or `ref:<resource id>` when only the defining resource is known. */
  key: string;
  /** Normalized host and path without scheme or trailing slash, when known. */
  host?: string;
  kind: IssuerKind;
  /** For `ci`: which system, as `CiIssuer.id` in src/federation/ci-issuers.ts (`github`, `gitlab`, `terraform-cloud`, ...). */
  ci?: string;
  /** Inventory id of the OIDC provider resource (`aws.iam.OIDCProvider`), when in the scan. */
  providerId?: string;
  /** Audiences the provider accepts (its client-ID list), when the provider is in the scan. */
  providerAudiences?: string[];
  /** Name of the scanned cluster whose issuer this is. */
  cluster?: string;
}

/** One use of a condition operator on a key, as written. */
export interface ConditionUse {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** Base operator without set prefix / IfExists: `StringEquals`, `StringLike`, `StringNotEquals`, `StringNotLike`, `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`, `Null`, or another IAM operator. */
  base: string;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
  negated: boolean;
  /** The condition key as written (string form; an unresolved key keeps its source text). */
  key: string;
  /** `sub`, `aud`, `amr`, `oaud`... the claim the key names, lower-cased; undefined for global keys like `aws:SourceAccount`. */
  claim?: string;
  /** Which issuer the key names; undefined when the key has no issuer part or it could not be resolved. */
  keyIssuer?: Issuer;
  /** True when the key's issuer is resolved and differs from the statement's federated issuer. */
  issuerMismatch: boolean;
  values: (string | { unknown: string })[];
  /** JSON pointer to this key inside the role's body. */
  pointer: string;
  /** True when a value is the policy variable of the same key (`${<issuer>:sub}`): a tautology. */
  tautology: boolean;
}

/** The facts of one trust statement towards one issuer (or service principal). */
export interface Federation {
  /** Inventory id of the identity (role, managed identity, service account). */
  identityId: string;
  cloud: 'aws' | 'azure' | 'gcp';
  mechanism: 'irsa' | 'pod-identity' | 'azure-workload-identity' | 'gke-workload-identity' | 'web-identity';
  issuer: Issuer;
  subject: Matcher;
  audience: Matcher;
  /** Inventory id of the resource `pointer` points into, when it is not the identity (an Azure federated identity credential). */
  sourceId?: string;
  /** JSON pointer to the statement (AWS) / credential (Azure) / binding (GCP). */
  pointer: string;
  /** Pointer where a missing condition belongs: the statement's `Condition`, else its `Principal`/`Action`. */
  conditionPointer: string;
  /** AWS: the conditions of the statement, in document order. Empty for other clouds. */
  conditions: ConditionUse[];
  /** AWS: the principal is a wildcard (`*`, `{"AWS":"*"}`, `{"Federated":"*"}`). */
  principalWildcard?: boolean;
  /** AWS: actions the statement allows (`sts:AssumeRoleWithWebIdentity`, ...). */
  actions?: string[];
  /** True when no token can satisfy the statement, with the reason. */
  unsatisfiable?: string;
  /** GCP: the workload identity grant behind this federation (see src/federation/gcp.ts). */
  gcp?: GcpGrant;
}

/** GCP: one member of a role binding that lets workloads obtain a Google service account. */
export interface GcpGrant {
  /** Workload pool the member names (`<project>.svc.id.goog`); null when unresolved. */
  pool: string | null;
  /** `ksa`: one ServiceAccount; `namespace`/`cluster`/`pool`: a principalSet; `attribute`/`group`: other sets; `unknown`: unreadable. */
  scope: 'ksa' | 'namespace' | 'cluster' | 'pool' | 'attribute' | 'group' | 'unknown';
  /** The member as written. */
  member: string;
  role: string | null;
  /** Where the binding is: on the service account itself, or on its project (every account of the project). */
  level: 'serviceAccount' | 'project';
  namespace?: string | null;
  name?: string | null;
  /** For `cluster`: the cluster named by the principalSet. */
  cluster?: string | null;
}
