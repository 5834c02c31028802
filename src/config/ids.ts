/**
 * Branded identifiers shared by both planes. A brand stops a deployment id from being
 * passed where an environment name is expected; the parse functions are the only way in.
 */
import { z } from 'zod';

export const DeploymentIdSchema = z
  .string()
  .regex(/^dep_[0-9a-z]{26}$/, 'a deployment id is "dep_" followed by 26 lowercase base-32 characters')
  .brand<'DeploymentId'>();
export type DeploymentId = z.infer<typeof DeploymentIdSchema>;

/** Environment names appear in KV keys and host names, so they are DNS-label shaped. */
export const EnvironmentNameSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'an environment name is 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen',
  )
  .brand<'EnvironmentName'>();
export type EnvironmentName = z.infer<typeof EnvironmentNameSchema>;
