import { limits } from '../shared/limits.js';
import type { LimitFactory, Rule } from './rate-limits.js';

export type AddressRules = Record<keyof typeof limits.perAddress, Rule>;

/** Every per-address budget: what it counts and what a person over it is told. */
export function addressLimits(make: LimitFactory, rules: AddressRules) {
  return {
    writes: make('address-writes', rules.writes, (s) => `Your network is sending too much at once; try again in ${s} s.`),
    newIdentities: make(
      'address-identities',
      rules.newIdentities,
      (s) => `Too many new names have come from your network; try again in ${Math.ceil(s / 60)} min, or come back as someone already here.`,
    ),
    joins: make('address-joins', rules.joins, (s) => `Too many joins from your network; try again in ${s} s.`),
    rooms: make('address-rooms', rules.rooms, (s) => `Your network has opened many rooms; try again in ${Math.ceil(s / 60)} min.`),
    typing: make('address-typing', rules.typing),
    appeals: make('address-appeals', rules.appeals, (s) => `Too many appeals have come from your network; try again in ${Math.ceil(s / 60)} min.`),
    reviewing: make('address-reviewing', rules.reviewing),
  };
}
export type AddressLimits = ReturnType<typeof addressLimits>;

/** For load tests on loopback: every per-address budget out of reach. */
export const UNLIMITED: AddressRules = Object.fromEntries(
  Object.keys(limits.perAddress).map((name) => [name, { points: 1e9, seconds: 1 }]),
) as AddressRules;
