/**
 * Which branch deploys to production and where each environment is served, from the
 * control plane's vars (control-plane/wrangler.toml). Production is served at
 * PRODUCTION_URL; every other environment is a preview, served at PREVIEW_URL_TEMPLATE with
 * `{slug}` replaced by its name, and it claims that URL's host so the data plane maps the
 * host to it (docs/decisions/0005-preview-hosts.md).
 */
import { z } from 'zod';
import { environmentForBranch, PRODUCTION_ENVIRONMENT } from '../../../src/config/branches.ts';
import { type EnvironmentName, EnvironmentNameSchema } from '../../../src/config/ids.ts';

const SLUG = '{slug}';
const SAMPLE_SLUG = 'edgeway-sample-slug';

export interface EnvironmentSettings {
  /** The branch that deploys to `production`. */
  readonly productionBranch: string;
  readonly productionUrl: string;
  /** An http(s) URL with `{slug}` in its host, e.g. `https://{slug}.preview.example.com`. */
  readonly previewUrlTemplate: string;
}

const HttpUrlSchema = z.url({ protocol: /^https?$/ });

const VarsSchema = z.object({
  PRODUCTION_BRANCH: z.string().min(1),
  PRODUCTION_URL: HttpUrlSchema,
  PREVIEW_URL_TEMPLATE: z.string().refine((template) => {
    const url = fill(template, SAMPLE_SLUG);
    return HttpUrlSchema.safeParse(url).success && new URL(url).hostname.includes(SAMPLE_SLUG);
  }, `an http(s) URL with ${SLUG} in its host`),
});

export type EnvironmentVars = z.input<typeof VarsSchema>;

/** Throws on a misconfigured var: every API call then fails with a logged 500. */
export function environmentSettings(vars: EnvironmentVars): EnvironmentSettings {
  const parsed = VarsSchema.safeParse(vars);
  if (!parsed.success)
    throw new Error(`control plane vars are misconfigured: ${z.prettifyError(parsed.error)}`);
  return {
    productionBranch: parsed.data.PRODUCTION_BRANCH,
    productionUrl: parsed.data.PRODUCTION_URL,
    previewUrlTemplate: parsed.data.PREVIEW_URL_TEMPLATE,
  };
}

/** The environment a push to `branch` deploys to: production for the production branch, else a preview. */
export function branchEnvironment(settings: EnvironmentSettings, branch: string): EnvironmentName {
  return EnvironmentNameSchema.parse(environmentForBranch(branch, settings.productionBranch));
}

export function environmentUrl(settings: EnvironmentSettings, environment: string): string {
  return environment === PRODUCTION_ENVIRONMENT
    ? settings.productionUrl
    : fill(settings.previewUrlTemplate, environment);
}

/** The hosts an environment claims: its config's, plus its preview URL's host unless it is production. */
export function claimedHosts(
  settings: EnvironmentSettings,
  environment: string,
  configHosts: readonly string[],
): readonly string[] {
  if (environment === PRODUCTION_ENVIRONMENT) return configHosts;
  // The URL parser lowercases the host, as the compiler does the config's hosts.
  const previewHost = new URL(environmentUrl(settings, environment)).hostname;
  return configHosts.includes(previewHost) ? configHosts : [...configHosts, previewHost];
}

function fill(template: string, slug: string): string {
  return template.replaceAll(SLUG, slug);
}
