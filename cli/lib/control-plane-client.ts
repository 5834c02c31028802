/**
 * A small typed client for the control plane's REST API (/api/v1), used by the CLI and
 * by `npm start`. Errors come back as the API's problem+json, turned into ApiError.
 */

export interface DeploymentBundle {
  readonly environment: string;
  readonly files: Readonly<Record<string, string>>;
  readonly commit: string;
  readonly branch: string;
  readonly author: string;
  readonly message: string;
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
  readonly status: string;
  readonly [field: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Record<string, unknown>;
  constructor(status: number, problem: Record<string, unknown>) {
    super(String(problem.detail ?? problem.title ?? `HTTP ${status}`));
    this.status = status;
    this.problem = problem;
  }
  get compileErrors(): readonly CompileErrorBody[] {
    return Array.isArray(this.problem.errors) ? (this.problem.errors as CompileErrorBody[]) : [];
  }
}

export class ControlPlaneClient {
  readonly #baseUrl: string;
  readonly #token: string;
  constructor(baseUrl: string, token: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#token = token;
  }

  deploy(bundle: DeploymentBundle): Promise<DeploymentSummary> {
    return this.#request('POST', '/api/v1/deployments', bundle);
  }

  getEnvironment(name: string): Promise<{ name: string; liveDeploymentId: string | null }> {
    return this.#request('GET', `/api/v1/environments/${encodeURIComponent(name)}`);
  }

  getDeployment(id: string): Promise<DeploymentSummary> {
    return this.#request('GET', `/api/v1/deployments/${encodeURIComponent(id)}`);
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(this.#baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : {};
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed as T;
  }
}
