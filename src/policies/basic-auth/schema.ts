/**
 * Options of the `basic-auth` policy (RFC 7617). Users are listed with password hashes
 * only, in the format `edgeway hash-password` prints (src/config/password-hash.ts); a
 * clear-text password is never an option. A hash may be written as `${secret.NAME}`,
 * which is resolved before these options are parsed.
 */
import { z } from 'zod';
import { ForwardHeadersSchema } from '../../config/auth-fields.ts';
import { PASSWORD_HASH_MESSAGE, parsePasswordHash } from '../../config/password-hash.ts';

const USER_NAME_MESSAGE = 'expected a user name of at least one character, without ":" or control characters';
const REALM_MESSAGE = 'expected a realm of 1 to 100 printable ASCII characters';
const NO_USERS_MESSAGE = 'expected at least one user';

// RFC 7617 §2: the user-id cannot contain a colon; control characters cannot be typed.
const UserNameSchema = z.string().regex(/^[^:\p{Cc}]+$/u, USER_NAME_MESSAGE);

const PasswordHashSchema = z
  .string()
  .refine((text) => parsePasswordHash(text) !== undefined, PASSWORD_HASH_MESSAGE);

export const basicAuthSchema = z
  .strictObject({
    realm: z
      .string()
      .regex(/^[\x20-\x7e]{1,100}$/, REALM_MESSAGE)
      .default('edgeway')
      .describe('The protection space named in the WWW-Authenticate challenge; browsers show it.'),
    users: z
      .record(UserNameSchema, PasswordHashSchema)
      .refine((users) => Object.keys(users).length > 0, NO_USERS_MESSAGE)
      .describe(
        `Who may call: user name to password hash as \`edgeway hash-password\` prints it ($pbkdf2-sha256$i=...), or a \${secret.NAME} holding one.`,
      ),
    allowAnonymous: z
      .boolean()
      .default(false)
      .describe(
        'Let a request without Basic credentials pass as anonymous. Credentials that are present but wrong are refused all the same.',
      ),
    stripCredentials: z
      .boolean()
      .default(true)
      .describe('Remove the Authorization header from an accepted request before it goes upstream.'),
    forwardHeaders: ForwardHeadersSchema,
  })
  .describe('Accepts requests carrying the user name and password of a listed user (HTTP Basic, RFC 7617).');

export type BasicAuthOptions = z.output<typeof basicAuthSchema>;
