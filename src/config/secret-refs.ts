/**
 * `${secret.NAME}` in compiled policy options. Secrets never reach KV in clear
 * (DESIGN.md security rules), so the compiler leaves a policy's options that use secrets
 * as a template, and the deployment carries each secret sealed under SECRETS_KEY
 * (secret-box.ts) with its own context. The data plane opens them when it loads the
 * deployment, fills the template in with `fillSecrets`, and only then parses the options
 * against the policy's schema.
 *
 * Template syntax, the same as edgeway.yaml's: `${secret.NAME}` is replaced by the
 * secret's value and `$${` stands for a literal `${`.
 */
import { VAR_NAME_PATTERN } from './source-fields.ts';

/** `$${` (an escape) or `${secret.NAME}`; anything else is literal text in a template. */
const TEMPLATE_TOKEN = new RegExp(`\\$\\$\\{|\\$\\{secret\\.(${VAR_NAME_PATTERN})\\}`, 'g');

/** The AES-GCM additional data a deployment's secret is sealed with: it opens only there. */
export function deploymentSecretContext(deploymentId: string, name: string): string {
  return `deployment:${deploymentId}:secret:${name}`;
}

/** Writes `text` so that filling the template gives it back: every `${` escaped. */
export function escapeTemplateText(text: string): string {
  // A function, since `$$` in a replacement string means one `$`.
  return text.replaceAll('${', () => '$${');
}

/**
 * The template with every `${secret.NAME}` replaced, in values and in keys. A name
 * missing from `values` is left as written; the caller checks names beforehand.
 */
export function fillSecrets(template: unknown, values: ReadonlyMap<string, string>): unknown {
  const fill = (text: string) =>
    text.replace(TEMPLATE_TOKEN, (token: string, name: string | undefined) =>
      name === undefined ? '${' : (values.get(name) ?? token),
    );
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return fill(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [fill(key), walk(child)]));
  };
  return walk(template);
}
