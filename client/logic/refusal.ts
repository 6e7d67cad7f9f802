import { RequestError } from '../socket.js';

/**
 * Why a write did not happen: the one shape every write's failure takes (see writer.ts), whatever the
 * cause (the server refused it, or never answered). A RequestError, so anything that shows a
 * RequestError's sentence shows this one too; `term` is the blocked term a BLOCKED_TERM sentence
 * names, for the composer to mark in the text.
 */
export class Refusal extends RequestError {
  readonly term: string | null;

  constructor(code: RequestError['code'], message: string, issues: RequestError['issues'] = []) {
    super(code, message, issues);
    this.name = 'Refusal';
    this.term = code === 'BLOCKED_TERM' ? termOf(this) : null;
  }

  /** Any failure of a write, as a Refusal (what is not the server's answer becomes INTERNAL, in a plain sentence). */
  static of(error: unknown): Refusal {
    if (error instanceof Refusal) return error;
    if (error instanceof RequestError) return new Refusal(error.code, error.message, error.issues);
    return new Refusal('INTERNAL', 'That did not work. Please try again.');
  }
}

/** The blocked term a BLOCKED_TERM sentence names: “…” (the server's wording, shared/errors.ts conventions). */
export function termOf(error: { message: string }): string | null {
  return /“([^”]+)”/.exec(error.message)?.[1] ?? null;
}

/** The sentence to show for a failed request: the server's own, or `otherwise` for anything else. */
export function sentenceOf(error: unknown, otherwise: string): string {
  return error instanceof RequestError ? error.message : otherwise;
}
