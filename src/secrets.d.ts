/** Secrets set with `wrangler secret put` (and `.dev.vars` locally); wrangler types cannot see them. */
interface DataPlaneEnv {
  /**
   * The control plane's SECRETS_KEY (base64 of 32 random bytes): it opens the secrets a
   * deployment carries sealed (src/config/secret-refs.ts). Optional: a data plane
   * without it serves every deployment whose policies use no secrets.
   */
  SECRETS_KEY?: string;
}
