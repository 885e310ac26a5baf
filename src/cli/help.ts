export const HELP = `podtrust — how your Kubernetes workloads get cloud credentials, and where that trust is too wide

Usage:
  podtrust scan [PATH...|-] [options]   scan IaC files and folders (default .); - reads a YAML stream from stdin
  podtrust collect [PATH...] [options]  save the inventory (no secret values) for a later scan --inventory
  podtrust rules [--format table|json|markdown]
  podtrust --version | --help

Run "podtrust scan --help" for the scan options.
`;

export const COLLECT_HELP = `Usage: podtrust collect [PATH...] [options]

Reads what podtrust scan reads (files and folders, live clusters, cloud accounts) and writes the
inventory it collected as JSON, for a later "podtrust scan --inventory FILE". No secret value is
ever written. No rules run.

  -o, --output FILE        where to write the inventory (default: standard output)
  --shard INDEX/COUNT      read only shard INDEX (0 to COUNT-1) of the live targets (contexts,
                           AWS accounts, GCP projects and Azure subscriptions, those of an
                           organization or tenant too):
                           every shard lists the targets the same way and takes every COUNT-th
                           one; the inventory records which targets the fleet has and which
                           this shard read
  --shard-count COUNT      the same, with INDEX from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)

The input, live, cloud and limit options of podtrust scan apply; see podtrust scan --help.
`;

export const SCAN_HELP = `Usage: podtrust scan [PATH...|-] [options]

Inputs:
  PATH...                  files and folders (default .); "-" reads one document stream from stdin
                           (helm template ... | podtrust scan -)
  --inventory FILE         audit saved inventories (podtrust collect); repeatable: a file, a
                           folder (its .json files) or a glob (shards/*.json); shards of one
                           collect --shard are merged and any target none of them read is an error
  --exclude GLOB           skip matching paths found inside scanned folders (relative to --root);
                           repeatable; * ? ** [ab] {a,b}, a name without / matches at any
                           depth, !GLOB brings a path back (the last match decides).
                           Paths named on the command line are never excluded;
                           .git, node_modules, .terraform and .terragrunt-cache folders are
                           always skipped
  --config FILE            configuration (default: .podtrust.yaml in --root)
  --root DIR               what output paths are relative to, and (with the paths given) the
                           only folder files are read from (default: the git work tree, else .)
  --max-file-size SIZE     skip larger files with an error (default 10MB)
  --max-total-size SIZE    stop reading input beyond this total; also caps one --inventory or
                           --baseline file (default 1GB)
  --max-depth N            deepest nesting of a YAML, JSON or HCL document, and of what
                           evaluating it builds (default 256, at most 400)
  --max-document-values N  most values a YAML/JSON document may hold, aliases and merge
                           keys expanded (default 2000000; stops alias bombs)
  --workers N              threads that read and evaluate the inputs, this one included
                           (default: the machine's cores, at most 8); 0 reads on the main
                           thread alone, the same findings a parallel scan gives
  --no-external-tools      run neither helm nor bicep: Helm charts and Bicep files become warnings
  --helm PATH, --bicep PATH
                           the programs that render charts and compile Bicep (default: helm and
                           bicep on PATH); each runs on a copy, without network or credentials
  --tool-timeout SECONDS   longest one helm or bicep run may take (default 60)
  --download-modules       fetch Terraform registry, git (https) and https-archive module sources
                           as terraform init would, where no .terraform/modules is present:
                           Terraform CLI config host and credentials blocks, TF_TOKEN_<host>,
                           HTTPS_PROXY and NO_PROXY; tar.gz, tar and zip archives; a source
                           that cannot be fetched is a warning and its model is used
  --module-cache DIR       where fetched modules are kept (default $XDG_CACHE_HOME/podtrust, else
                           ~/.cache/podtrust); never inside the scanned root
  --trusted-module-host HOST
                           a module host that may be loopback or private (repeatable); hosts of the
                           Terraform CLI config's host blocks are trusted too

Live clusters (read-only; see docs/live-kubernetes.md):
  --kubeconfig FILE        kubeconfig to read (default: KUBECONFIG, ~/.kube/config, in-cluster)
  --context CTX            a kubeconfig context to scan; repeatable
  --all-contexts           every context of the kubeconfig
  --no-secret-values       list Secrets as metadata only (values never leave the API server)
  --objects-dir DIR        write live objects as YAML files where their findings point
  --timeout SECONDS        overall deadline for live clusters (cloud APIs: --request-timeout per call)
  --request-timeout SECONDS
                           deadline of each live API call (default 30); Ctrl-C stops a live
                           scan and writes what was collected (exit 2), a second Ctrl-C quits
  --max-response-size SIZE
                           one API answer (a page of a list) larger than this is abandoned
                           as it arrives, with an error naming the resource type (default 256MB)
  --concurrency N          live targets (clusters, the AWS account, the Azure and GCP sources)
                           read at once (default 8, at most 256)

Live clouds (read-only; credentials from each SDK's standard chain):
  --aws                    the AWS account of the current credentials (IAM, and EKS per region)
  --aws-region REGION      EKS/EC2 region to read; repeatable (implies --aws). Endpoints:
                           AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>
  --aws-organization       every active account of the AWS Organization (organizations:ListAccounts)
  --aws-account ID         this account; repeatable (instead of --aws-organization)
  --aws-assume-role NAME   the role assumed in each account but the scanner's own, with the
                           scanner's own credentials
  --azure-subscription ID  an Azure subscription (DefaultAzureCredential); repeatable
  --azure-all-subscriptions
                           every Enabled subscription the identity can list
  --azure-endpoint URL     Resource Manager URL (sovereign clouds); authority: AZURE_AUTHORITY_HOST
  --gcp-project ID         a GCP project (Application Default Credentials); repeatable
  --gcp-organization ID    every active project beneath this organization, through its
                           folders (resourcemanager.folders.list, projects.list); repeatable
  --gcp-folder ID          every active project beneath this folder; repeatable
  --gcp-endpoint URL       root URL of the Google APIs
                           Custom CAs: NODE_EXTRA_CA_CERTS

Output:
  --format FORMAT          table (default), json, sarif, markdown, html, junit, gitlab (GitLab
                           SAST report), csv, asff (AWS Security Hub); any letter case
  --output FILE, -o FILE   write the report to FILE instead of stdout
  --report FORMAT=PATH     also write a report of FORMAT to PATH; repeatable (one scan, every
                           report: --report sarif=podtrust.sarif --report junit=podtrust.xml)
  --asff-account ID        asff: the AWS account to file findings in (else AWS_ACCOUNT_ID)
  --asff-region REGION     asff: the Security Hub region (else AWS_REGION, AWS_DEFAULT_REGION)
  --fail-on SEVERITY       exit 1 when an unsuppressed finding is at or above it:
                           critical, high (default), medium, low, none
  --rule ID                run only this rule; repeatable, or comma-separated
  --skip-rule ID           do not run this rule; repeatable, or comma-separated
  --baseline FILE          a previous SARIF or JSON report: marks findings new or unchanged,
                           and says first what the configuration turned off since
  --only-new               report (and fail on) only findings not in the baseline
  --strict                 exit 2 on any warning: an input recognised but not analysed, an
                           undecided value, a module not fetched, a limit, a 403, a file named
                           here from which nothing was analysed, a scan that analysed nothing
  --quiet, -q              no notes on stderr
  --verbose, -v            more detail on stderr

Exit status: 0 no finding at or above --fail-on; 1 findings at or above it;
2 the scan is incomplete (an input could not be parsed, was refused or hit an internal
error, a live source could not be reached or authenticated, a usage or config error),
which wins over 1. Warnings (on stderr as "path:line: warning: ...") leave the exit to
the findings, unless --strict. Findings are written in every case. Every report counts
the inputs: analysed, recognised but not analysed, not infrastructure, excluded, unparsable.
`;

export const RULES_HELP = `Usage: podtrust rules [--format table|json|markdown]

Lists every rule with its id, severity and title.
`;
