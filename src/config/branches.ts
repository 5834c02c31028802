/**
 * Which environment a Git branch deploys to. The production branch deploys to
 * `production`; every other branch to a preview environment named after its slug, which
 * is also the first label of the preview's host (`<slug>.<preview domain>`), so the slug
 * is a DNS label: lowercase letters, digits and hyphens, at most 63 characters.
 */

export const PRODUCTION_ENVIRONMENT = 'production';
const MAX_LABEL = 63;
const HASH_CHARS = 6;

/**
 * `feature/Login_v2` -> `feature-login-v2`. Distinct branches that would collide after
 * truncation keep distinct slugs: a long slug ends in a short hash of the branch name.
 */
export function branchSlug(branch: string): string {
  const slug = branch
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_LABEL && slug !== '') return slug;
  const head = slug.slice(0, MAX_LABEL - HASH_CHARS - 1).replace(/-+$/, '');
  return `${head || 'branch'}-${fnv1a(branch).slice(0, HASH_CHARS)}`;
}

export function environmentForBranch(branch: string, productionBranch: string): string {
  if (branch === productionBranch) return PRODUCTION_ENVIRONMENT;
  const slug = branchSlug(branch);
  // A branch that happens to be called "production" must not deploy to production.
  return slug === PRODUCTION_ENVIRONMENT ? `${slug}-${fnv1a(branch).slice(0, HASH_CHARS)}` : slug;
}

/** FNV-1a 32-bit, hex: a stable short tag, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
