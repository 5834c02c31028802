/** The Hono environment every route sees: bindings, the request id, the caller, the deploy context. */
import type { RequestIdVariables } from 'hono/request-id';
import type { Principal } from '../auth/authenticate.ts';
import type { DeployContext } from '../deploy/context.ts';

export interface AppEnv {
  Bindings: Cloudflare.Env;
  Variables: RequestIdVariables & {
    principal: Principal;
    /** Set for a request a session authenticates: what its pages put in their forms. */
    csrfToken?: string;
    deploy: DeployContext;
  };
}
