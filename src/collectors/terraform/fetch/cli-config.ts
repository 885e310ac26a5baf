/**
 * What the user's own Terraform CLI configuration says about module hosts, read as Terraform reads
 * it: `TF_CLI_CONFIG_FILE` (else `~/.terraformrc`) for `host` blocks (service-discovery overrides)
 * and `credentials` blocks, `~/.terraform.d/credentials.tfrc.json`, and `TF_TOKEN_<host>` variables.
 * These files are the user's, outside the scanned repository: hosts they name are trusted.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Expr } from '../ast.js';
import { parseHcl } from '../hcl-parser.js';

export interface TerraformCliConfig {
  /** Service-discovery answers the user configured, by host (`modules.v1` → URL). */
  hosts: Map<string, Record<string, string>>;
  /** API tokens by host. Never printed, never stored. */
  tokens: Map<string, string>;
  /**
   * The `credentials_helper` block's name. Terraform would run `terraform-credentials-<name> get
   * <host>` for a host without a token; podtrust does not run it (README: module downloads) and
   * names each host it asked without the token the helper might have given.
   */
  credentialsHelper?: string;
  /** Problems reading the configuration, for a note. */
  problems: string[];
}

/** Hosts compare as Terraform compares them: case-insensitively, with the default port dropped. */
export function hostKey(host: string): string {
  return host.toLowerCase().replace(/:443$/, '');
}

function literal(expr: Expr | undefined): string | undefined {
  return expr?.kind === 'literal' && typeof expr.value === 'string' ? expr.value : undefined;
}

/** `app.terraform.io` → `TF_TOKEN_app_terraform_io` (a hyphen is `__`); undefined for a host no variable can name (a port). */
export function tokenVariableName(host: string): string | undefined {
  const key = hostKey(host);
  if (!/^[a-z0-9.-]+$/.test(key)) return undefined;
  return `TF_TOKEN_${key.replace(/-/g, '__').replace(/\./g, '_')}`;
}

/** `TF_TOKEN_app_terraform_io` → `app.terraform.io`; `__` stands for a hyphen. */
export function tokenVariableHost(name: string): string | undefined {
  if (!name.startsWith('TF_TOKEN_')) return undefined;
  const encoded = name.slice('TF_TOKEN_'.length);
  if (encoded === '') return undefined;
  return hostKey(encoded.replace(/__/g, '\u0000').replace(/_/g, '.').replace(/\u0000/g, '-'));
}

function home(env: Record<string, string | undefined>): string {
  return env.HOME ?? homedir();
}

export async function readCliConfig(env: Record<string, string | undefined>): Promise<TerraformCliConfig> {
  const config: TerraformCliConfig = { hosts: new Map(), tokens: new Map(), problems: [] };
  const fileTokens = new Map<string, string>();
  const file = env.TF_CLI_CONFIG_FILE || env.TERRAFORM_CONFIG || join(home(env), '.terraformrc');
  const text = readOptional(file, config.problems);
  if (text !== undefined) {
    const parsed = await parseHcl(file, text);
    // The parser's words may quote the line, and the line may hold a token: the place only.
    if (parsed.error) config.problems.push(`${file}:${parsed.error.line}: not valid HCL`);
    for (const block of parsed.body.blocks) {
      if (block.type === 'credentials_helper' && block.labels[0] !== undefined) config.credentialsHelper = block.labels[0];
      const host = block.labels[0];
      if (host === undefined) continue;
      if (block.type === 'credentials') {
        const token = literal(block.body.attributes.find((a) => a.name === 'token')?.expr);
        if (token !== undefined) fileTokens.set(hostKey(host), token);
      } else if (block.type === 'host') {
        const services = block.body.attributes.find((a) => a.name === 'services')?.expr;
        const out: Record<string, string> = {};
        if (services?.kind === 'object') {
          for (const item of services.items) {
            const key = item.keyName ?? literal(item.key);
            const value = literal(item.value);
            if (key !== undefined && value !== undefined) out[key] = value;
          }
        }
        config.hosts.set(hostKey(host), out);
      }
    }
  }
  const credentialsFile = join(home(env), '.terraform.d', 'credentials.tfrc.json');
  const json = readOptional(credentialsFile, config.problems);
  if (json !== undefined) {
    try {
      const creds = (JSON.parse(json) as { credentials?: Record<string, { token?: unknown }> }).credentials ?? {};
      for (const [host, c] of Object.entries(creds)) if (typeof c?.token === 'string' && !fileTokens.has(hostKey(host))) fileTokens.set(hostKey(host), c.token);
    } catch {
      config.problems.push(`${credentialsFile}: not valid JSON`);
    }
  }
  for (const [host, token] of fileTokens) config.tokens.set(host, token);
  // Environment variable credentials win over the files.
  for (const [name, value] of Object.entries(env)) {
    const host = tokenVariableHost(name);
    if (host !== undefined && value) config.tokens.set(host, value);
  }
  return config;
}

function readOptional(file: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`${file}: cannot read (${code ?? 'error'})`);
    return undefined;
  }
}
