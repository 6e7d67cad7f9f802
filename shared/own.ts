/**
 * The room's records (posts, members, held posts, ballots …) are plain objects keyed by ids, and a
 * plain object answers for names it inherits: `posts['constructor']` is Object itself and
 * `members['__proto__']` is Object.prototype, which a reducer would then write into. Ids are refused
 * such names at the door (shared/schemas/common.ts); these keep every lookup and write its own anyway.
 */

/** The record's own entry for `key`, never one inherited from Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether `key` can be an entry of a plain record: assigning to `__proto__` replaces the record's prototype instead. */
export const canBeKey = (key: string): boolean => key !== '__proto__';
