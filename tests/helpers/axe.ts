import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core's browser build: from the main checkout while the lead adds `axe-core` as a devDependency
 * of the project, else resolved from this checkout's node_modules.
 */
function axeSource(): string {
  const shared = '/work/main/node_modules/axe-core/axe.min.js';
  const path = existsSync(shared) ? shared : createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  return readFileSync(path, 'utf8');
}

let source: string | null = null;

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Run axe on the page as it is now. Evaluated over the DevTools protocol, so a Content Security
 * Policy that forbids inline scripts does not stop it.
 */
export async function axe(page: Page): Promise<AxeFinding[]> {
  source ??= axeSource();
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run;
    const { violations } = await run(document, { resultTypes: ['violations'] });
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** What must be zero: critical, serious and moderate findings. */
export const blocking = (findings: AxeFinding[]) => findings.filter((f) => f.impact === 'critical' || f.impact === 'serious' || f.impact === 'moderate');
