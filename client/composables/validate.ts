import type { z } from 'zod';
import type { ErrorIssue } from '../../shared/errors.js';

export type FieldErrors = Record<string, string>;

/**
 * Checks a form with the same zod schema the server uses, so the message shows by the field before
 * anything is sent. Returns the parsed value, or the first message per field (path joined with ".").
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: toFieldErrors(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))) };
}

/** The server's issues (same shape) onto the same fields. */
export function toFieldErrors(issues: ErrorIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[issue.path || '_'] ??= issue.message;
  return errors;
}
