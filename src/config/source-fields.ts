/**
 * Field schemas shared by the sections of edgeway.yaml: names, hostnames, variable names
 * and bounded integers. Messages are constants (Kong style) so tests can assert the text
 * and every section says the same thing about the same mistake.
 */
import { z } from 'zod';

const NAME_MESSAGE =
  'expected a name of 1-63 characters: a lowercase letter, then lowercase letters, digits or hyphens';
const HOSTNAME_MESSAGE = 'expected a lowercase DNS hostname such as api.example.com';
const VAR_NAME_MESSAGE = 'expected a variable name of upper-case letters, digits and underscores';

/** Names of upstreams and policy instances; they appear in logs and analytics. */
export const NameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, NAME_MESSAGE);

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
export const HostnameSchema = z
  .string()
  .regex(new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`), HOSTNAME_MESSAGE);

/** The NAME in `${env.NAME}`; the compiler's reference syntax uses the same pattern. */
export const VAR_NAME_PATTERN = '[A-Z_][A-Z0-9_]*';
export const VarNameSchema = z.string().regex(new RegExp(`^${VAR_NAME_PATTERN}$`), VAR_NAME_MESSAGE);

/** An integer in [min, max] whose every failure (type, bounds) says the range. */
export function boundedInt(min: number, max: number) {
  const message = `expected an integer from ${min} to ${max}`;
  return z.int({ error: message }).min(min, message).max(max, message);
}
