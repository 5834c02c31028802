/**
 * A small typed client for the control plane's REST API (/api/v1), used by the CLI and
 * by `npm start`. An answer that is not 2xx becomes ApiError carrying the API's
 * problem+json; a control plane that does not answer becomes UnreachableError.
 */
import type { EnvironmentSettings } from '../../control-plane/src/deploy/environment-settings.ts';

/** Who may say what started a deployment (provider webhooks record their own). */
export type DeploymentTrigger = 'api' | 'cli' | 'git-push';

export interface DeploymentBundle {
  /** Omitted: the control plane derives the environment from the branch. */
  readonly environment?: string;
  readonly files: Readonly<Record<string, string>>;
  readonly commit: string;
  readonly branch: string;
  readonly author: string;
  readonly message: string;
  readonly trigger?: DeploymentTrigger;
}

export interface CompileErrorBody {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export interface DeploymentSummary {
  readonly id: string;
  readonly environment: string;
  /** building, live, failed, superseded or rolled_back. */
  readonly status: string;
  readonly commit: string;
  readonly branch: string;
  readonly author: string;
  readonly message: string;
  /** api, cli, git-push, or the provider whose webhook deployed it. */
  readonly trigger: string;
  readonly hash: string | null;
  readonly createdAt: string;
  /** Where the deployment's environment is served. */
  readonly url: string;
  readonly [field: string]: unknown;
}

export interface EnvironmentSummary {
  readonly name: string;
  readonly liveDeploymentId: string | null;
  readonly hosts: readonly string[];
  readonly updatedAt: string;
  readonly url: string;
  readonly [field: string]: unknown;
}

/** `vars` or `secrets`: the two collections of per-environment values. */
export type ValueCollection = 'vars' | 'secrets';

export interface EnvironmentValues {
  readonly vars: readonly { readonly name: string; readonly value: string; readonly updatedAt: string }[];
  /** Names only: the API never returns a secret's value. */
  readonly secrets: readonly { readonly name: string; readonly updatedAt: string }[];
}

export interface DeploymentQuery {
  readonly environment?: string;
  readonly limit?: number;
  /** The previous page's nextCursor. */
  readonly cursor?: string;
}

export interface DeploymentPage {
  readonly deployments: readonly DeploymentSummary[];
  readonly nextCursor: string | null;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Record<string, unknown>;
  /** The control plane that answered. */
  readonly baseUrl: string;
  constructor(status: number, problem: Record<string, unknown>, baseUrl: string) {
    super(String(problem.detail ?? problem.title ?? `HTTP ${status}`));
    this.status = status;
    this.problem = problem;
    this.baseUrl = baseUrl;
  }
  get compileErrors(): readonly CompileErrorBody[] {
    return Array.isArray(this.problem.errors) ? this.problem.errors.filter(isCompileError) : [];
  }
}

/** The control plane did not answer at all: refused, unknown host, timed out. */
export class UnreachableError extends Error {
  readonly baseUrl: string;
  constructor(baseUrl: string, reason: string) {
    super(reason);
    this.baseUrl = baseUrl;
  }
}

export class ControlPlaneClient {
  readonly baseUrl: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  constructor(baseUrl: string, token: string, timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#timeoutMs = timeoutMs;
  }

  deploy(bundle: DeploymentBundle): Promise<DeploymentSummary> {
    return this.#request('POST', '/api/v1/deployments', bundle);
  }

  listDeployments(query: DeploymentQuery = {}): Promise<DeploymentPage> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) search.set(name, String(value));
    }
    const suffix = search.size > 0 ? `?${search}` : '';
    return this.#request('GET', `/api/v1/deployments${suffix}`);
  }

  getDeployment(id: string): Promise<DeploymentSummary> {
    return this.#request('GET', `/api/v1/deployments/${encodeURIComponent(id)}`);
  }

  listEnvironments(): Promise<{ environments: readonly EnvironmentSummary[] }> {
    return this.#request('GET', '/api/v1/environments');
  }

  getEnvironment(name: string): Promise<EnvironmentSummary> {
    return this.#request('GET', `/api/v1/environments/${encodeURIComponent(name)}`);
  }

  rollback(environment: string, deploymentId: string): Promise<EnvironmentSummary> {
    return this.#request('POST', `/api/v1/environments/${encodeURIComponent(environment)}/rollback`, {
      deploymentId,
    });
  }

  /** The production branch and where environments are served. */
  getSettings(): Promise<EnvironmentSettings> {
    return this.#request('GET', '/api/v1/settings');
  }

  async deleteEnvironment(name: string): Promise<void> {
    await this.#request('DELETE', `/api/v1/environments/${encodeURIComponent(name)}`);
  }

  listEnvironmentValues(environment: string): Promise<EnvironmentValues> {
    return this.#request('GET', `/api/v1/environments/${encodeURIComponent(environment)}/vars`);
  }

  async setEnvironmentValue(
    environment: string,
    collection: ValueCollection,
    name: string,
    value: string,
  ): Promise<void> {
    await this.#request('PUT', valuePath(environment, collection, name), { value });
  }

  async unsetEnvironmentValue(environment: string, collection: ValueCollection, name: string): Promise<void> {
    await this.#request('DELETE', valuePath(environment, collection, name));
  }

  /** Any API call, for the areas of the API with a typed wrapper of their own (consumers-api.ts). */
  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.#request(method, path, body);
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new UnreachableError(this.baseUrl, networkReason(error, this.#timeoutMs));
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (parsed === undefined) {
      const detail = `${this.baseUrl} answered ${method} ${path} with something other than JSON; is it an Edgeway control plane?`;
      throw new ApiError(response.status, { title: 'Not an API answer', detail }, this.baseUrl);
    }
    if (!response.ok) throw new ApiError(response.status, parsed, this.baseUrl);
    return parsed as T;
  }
}

function valuePath(environment: string, collection: ValueCollection, name: string): string {
  return `/api/v1/environments/${encodeURIComponent(environment)}/${collection}/${encodeURIComponent(name)}`;
}

/** An empty body (204) is an empty object; text that is not a JSON object is undefined. */
function parseJson(text: string): Record<string, unknown> | undefined {
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Why fetch failed, in words: undici hides the system error in `cause`. */
function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed without an answer';
    default:
      return cause?.message ?? (error as Error).message;
  }
}

function isCompileError(value: unknown): value is CompileErrorBody {
  const error = value as CompileErrorBody;
  return typeof error?.file === 'string' && typeof error.line === 'number';
}
