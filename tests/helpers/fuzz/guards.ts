import { expect, vi } from 'vitest';

/**
 * What must hold in this process whatever the fuzz sends (the server runs in the test process, so
 * its globals are ours): no prototype gained or lost a property, no exception or rejection went
 * unhandled, and the router logged no unexpected error (it logs one for every INTERNAL answer).
 */

const PROTOTYPES: Record<string, object> = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
  Number: Number.prototype,
  Boolean: Boolean.prototype,
  Promise: Promise.prototype,
  Buffer: Buffer.prototype,
};

type Shape = Map<string | symbol, unknown>;

function shapeOf(proto: object): Shape {
  const shape: Shape = new Map();
  for (const key of Reflect.ownKeys(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    shape.set(key, descriptor.value ?? descriptor.get);
  }
  return shape;
}

export interface ProcessGuard {
  /** Fails the test if anything went wrong since the guard started (or was last checked or reset). */
  check(): void;
  /** Forgets what a failed run left behind, so each run (and each shrink of a failing one) is judged on its own. */
  reset(): void;
  stop(): void;
}

export function guardProcess(): ProcessGuard {
  const shapes = Object.fromEntries(Object.entries(PROTOTYPES).map(([name, proto]) => [name, shapeOf(proto)]));
  const escaped: string[] = [];
  const onException = (error: unknown) => escaped.push(`uncaughtException: ${String((error as Error)?.stack ?? error)}`);
  const onRejection = (reason: unknown) => escaped.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  const logged = vi.spyOn(console, 'error');

  return {
    reset() {
      logged.mockClear();
      escaped.splice(0);
    },
    check() {
      const errors = logged.mock.calls.map((call) => call.map(String).join(' ').slice(0, 300));
      logged.mockClear();
      expect(escaped.splice(0), 'nothing escaped to the process').toEqual([]);
      expect(errors, 'the server logged no error').toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      for (const [name, proto] of Object.entries(PROTOTYPES)) {
        const now = shapeOf(proto);
        const before = shapes[name];
        const changed = [...new Set([...before.keys(), ...now.keys()])].filter((key) => before.get(key) !== now.get(key));
        expect(changed.map(String), `${name}.prototype is untouched`).toEqual([]);
      }
    },
    stop() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
      logged.mockRestore();
    },
  };
}
