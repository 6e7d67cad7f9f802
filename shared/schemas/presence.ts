/** Ephemeral: broadcast, never logged. */
export interface Presence {
  /** Connected sockets that joined as viewers. */
  viewers: number;
  /** Member ids of participants with at least one connected socket. */
  online: string[];
}
