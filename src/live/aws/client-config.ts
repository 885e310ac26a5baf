/** How every AWS SDK client of a scan is configured (timeouts, adaptive retries, credentials) and how its calls are counted. */
import type { ApiCallLog } from '../cloud.js';

/** What of a scan's AWS options configures its clients (`--request-timeout`). */
export interface ClientSettings {
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

/** Temporary credentials of an assumed role, as the SDK clients take them. */
export interface AccountCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export const DEFAULT_AWS_REQUEST_TIMEOUT_MS = 30_000;

export interface Client {
  send(command: unknown): Promise<unknown>;
  middlewareStack: { add(mw: unknown, options: unknown): void };
}

/** Records each command the client sends (once per command, not per retry). */
export function recordCalls(client: Client, service: string, calls: ApiCallLog): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      calls.record('aws', `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`);
      return next(args);
    },
    { step: 'initialize', name: 'podtrustApiCallLog' },
  );
}

export function clientConfig(options: ClientSettings, region: string | undefined, credentials?: AccountCredentials): Record<string, unknown> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_AWS_REQUEST_TIMEOUT_MS;
  return {
    ...(region ? { region } : {}),
    ...(credentials ? { credentials } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 6,
    requestHandler: { requestTimeout, throwOnRequestTimeout: true, connectionTimeout: Math.min(requestTimeout, 10_000) },
  };
}
