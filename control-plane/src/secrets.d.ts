/** Secrets set with `wrangler secret put` (and `.dev.vars` locally); wrangler types cannot see them. */
declare namespace Cloudflare {
  interface Env {
    /** Bootstrap admin bearer token for the REST API. */
    ADMIN_TOKEN: string;
  }
}
