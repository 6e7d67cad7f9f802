import { createHash } from 'node:crypto';
import { customAlphabet, nanoid } from 'nanoid';

/** Room ids are short enough to read aloud and URL-safe without escaping. */
export const newRoomId = customAlphabet('23456789abcdefghijkmnpqrstuvwxyz', 10);

/** A secret a browser keeps; 24 nanoid characters ≈ 143 bits. */
export const newToken = () => nanoid(24);

/**
 * The first 16 base64url characters of a SHA-256: the first 12 bytes encoded, the same characters as slicing
 * the whole encoding, but a string of its own (a slice would keep the 43-character original alive on every
 * socket's session).
 */
const shortDigest = (text: string) => createHash('sha256').update(text).digest().subarray(0, 12).toString('base64url');

/**
 * A member's public id is derived from their secret token, so the store never keeps tokens and a
 * returning browser is recognised without a lookup. Different rooms give different ids for one token.
 */
export function memberIdFor(roomId: string, token: string): string {
  return shortDigest(`${roomId}\u0000${token}`);
}

/**
 * Where a member connects from, as the room's log keeps it: a hash of room and address, so the log
 * never holds an address and one network looks different in every room. Only the server reads it.
 */
export function addressKeyFor(roomId: string, address: string): string {
  return shortDigest(`address\u0000${roomId}\u0000${address}`);
}
