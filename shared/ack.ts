import type { AppErrorBody } from './errors.js';

/** The answer to every client-to-server event. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AppErrorBody };
export type AckCallback<T> = (ack: Ack<T>) => void;
