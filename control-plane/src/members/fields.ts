/**
 * The shape of a member's fields, shared by the API and the CLI so both refuse the same
 * values with the same words.
 */
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 12;

export const EmailSchema = z
  .email({ error: 'an email address such as ada@example.com' })
  .max(254, 'an email address is at most 254 characters');

export const MemberNameSchema = z.string().trim().min(1).max(100);

export const PasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `a password is at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024, 'a password is at most 1024 characters');
