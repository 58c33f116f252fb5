import { it } from 'vitest';
import { createTestApp, newTenant } from '../support/app.js';
import { openEventStream } from '../support/event-stream.js';
it('dbg', async () => {
  const ctx = await createTestApp({ eventStreamsPerClient: 1 });
  const base = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const admin = await newTenant(ctx);
  const mode = process.env.MODE;
  if (mode === 'a') { const s = await openEventStream(`${base}/v1/events/stream`, { authorization: admin.auth, 'last-event-id': 'yesterday' }); console.log('status', s.status); }
  if (mode === 'b') { const s = await openEventStream(`${base}/v1/events/stream?types=company.*`, { authorization: admin.auth }); s.close(); }
  if (mode === 'c') { const s = await openEventStream(`${base}/v1/events/stream?after=0&types=company.updated`, { authorization: admin.auth , 'last-event-id': '1'}); await new Promise(r=>setTimeout(r,300)); s.close(); }
  console.time('close'); await ctx.close(); console.timeEnd('close');
}, 200000);
