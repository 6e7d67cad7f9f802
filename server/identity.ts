import { createHash } from 'node:crypto';
import { customAlphabet, nanoid } from 'nanoid';

/** Room ids are short enough to read aloud and URL-safe without escaping. */
export const newRoomId = customAlphabet('23456789abcdefghijkmnpqrstuvwxyz', 10);

/** A secret a browser keeps; 24 nanoid characters ≈ 143 bits. */
export const newToken = () => nanoid(24);

/**
 * A member's public id is derived from their secret token, so the store never keeps tokens and a
 * returning browser is recognised without a lookup. Different rooms give different ids for one token.
 */
export function memberIdFor(roomId: string, token: string): string {
  return createHash('sha256').update(`${roomId}\u0000${token}`).digest('base64url').slice(0, 16);
}

/**
 * Where a member connects from, as the room's log keeps it: a hash of room and address, so the log
 * never holds an address and one network looks different in every room. Only the server reads it.
 */
export function addressKeyFor(roomId: string, address: string): string {
  return createHash('sha256').update(`address\u0000${roomId}\u0000${address}`).digest('base64url').slice(0, 16);
}
