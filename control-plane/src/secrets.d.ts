/** Secrets set with `wrangler secret put` (and `.dev.vars` locally); wrangler types cannot see them. */
declare namespace Cloudflare {
  interface Env {
    /** Bootstrap admin bearer token for the REST API. */
    ADMIN_TOKEN: string;
    /**
     * Base64 of 32 random bytes: the AES-GCM key that seals secrets stored in D1
     * (src/config/secret-box.ts), e.g. `openssl rand -base64 32`.
     */
    SECRETS_KEY: string;
  }
}
