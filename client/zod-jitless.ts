import { z } from 'zod';

// The page's Content-Security-Policy forbids eval (script-src 'self', no 'unsafe-eval'). Left to itself,
// zod probes for it with `Function('')` on its first parse, which the browser reports as a violation;
// told it is jitless, it never tries. Imported first by main.ts, before anything parses.
z.config({ jitless: true });
