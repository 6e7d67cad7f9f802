/** Every error a client can receive. The message beside it is a plain sentence for a person. */
export const ERROR_CODES = [
  'INVALID_PAYLOAD',
  'NOT_FOUND',
  'NOT_JOINED',
  'FORBIDDEN',
  'NAME_TAKEN',
  'CONFLICT',
  'RATE_LIMITED',
  'ROOM_LOCKED',
  'BLOCKED_TERM',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface AppErrorBody {
  code: ErrorCode;
  message: string;
  issues?: ErrorIssue[];
}

/** Thrown by handlers and store decisions; the router turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): AppErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}
