import type { Page } from 'playwright-core';
import { connect, ok, type TestSocket } from './client.js';

export const LIVE = { timeout: 10_000, interval: 50 };

export interface SeededRoom {
  roomId: string;
  hostToken: string;
  /** The host, joined as "Hana" over a socket. */
  host: TestSocket;
  url: string;
}

/** A room opened over a socket, its host named Hana, with `threads` top-level posts and `replies` replies to each. */
export async function seedRoom(serverUrl: string, opts: { title?: string; motion?: string; threads?: number; replies?: number } = {}): Promise<SeededRoom> {
  const host = await connect(serverUrl);
  const { roomId, hostToken } = await ok(host, 'room:create', {
    title: opts.title ?? 'Cars out of the centre?',
    motion: opts.motion ?? 'This house would ban private cars from city centres.',
  });
  await ok(host, 'room:join', { roomId, role: 'participant', name: 'Hana', token: hostToken });
  for (let t = 0; t < (opts.threads ?? 0); t++) {
    await ok(host, 'post:create', { id: `post-t${t}-root`, parentId: null, body: `Point ${t + 1}: cars and the centre, argued.` });
    for (let r = 0; r < (opts.replies ?? 0); r++) {
      await ok(host, 'post:create', { id: `post-t${t}-r${r}`, parentId: `post-t${t}-root`, body: `Reply ${r + 1} to point ${t + 1}.` });
    }
  }
  return { roomId, hostToken, host, url: `/r/${roomId}` };
}

/** Make this browser the room's host (as after opening it here), before the page loads. */
export async function becomeHost(page: Page, roomId: string, hostToken: string, role: 'participant' | null = 'participant'): Promise<void> {
  await page.addInitScript(
    ([id, token, as]) => localStorage.setItem(`debate:room:${id}`, JSON.stringify({ token, role: as, host: true })),
    [roomId, hostToken, role] as const,
  );
}

/** What has focus, as a short description: "BUTTON Reply", "TEXTAREA Add to the debate", "BODY". */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'BODY';
    const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.textContent ?? '';
    return `${el.tagName} ${label.trim().replace(/\s+/g, ' ')}`;
  });
}

/** Take part from the room's inline card, as a newcomer does. */
export async function takePart(page: Page, name: string): Promise<void> {
  const card = page.locator('[data-take-part]');
  await page.locator('[data-take-part], [data-watching]').first().waitFor();
  if (!(await card.count())) await page.locator('[data-watching]').getByRole('button').click();
  await card.getByLabel('Display name').fill(name);
  await card.getByRole('button', { name: 'Take part' }).click();
  await page.locator('[data-take-part], [data-watching]').waitFor({ state: 'detached' });
}
