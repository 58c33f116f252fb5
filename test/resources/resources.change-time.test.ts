import { beforeAll, describe, expect, it } from 'vitest';
import { newTenant, type Client, useApp } from '../support/app.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Busy fleet');
});

const BASE = '/v1/resources/resource';

describe('resource change times drawn in the event statement', () => {
  it('are the same in the answer, the GET and the master_data event, distinct, and in commit order under parallel writes', async () => {
    const first = await Promise.all(Array.from({ length: 6 }, (_, i) => as(admin).post(BASE, { name: `Van ${i}`, van: {} })));
    const ids = first.map((res) => {
      expect(res.statusCode, res.body).toBe(200);
      return res.json().row_id as string;
    });
    // Creates and patches side by side: they take the resource clock and the event position in the same order, so none deadlocks.
    const mixed = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => as(admin).post(BASE, { name: `Trailer ${i}`, trailer: {} })),
      ...ids.map((id, i) => as(admin).patch(`${BASE}/${id}`, { note: `patched ${i}` })),
    ]);
    const answers = new Map<string, string>();
    for (const res of mixed) {
      expect(res.statusCode, res.body).toBe(200);
      answers.set(res.json().row_id, res.json().timestamp_updated);
    }
    for (const [id, stamped] of answers) expect((await as(admin).get(`${BASE}/${id}`)).json().timestamp_updated).toBe(stamped);
    expect(new Set(answers.values()).size).toBe(answers.size);

    const feed = await as(admin).get('/v1/events?types=resource.*&limit=1000');
    const events = feed.json().items as Array<{ entity_id: string; payload: { record: { timestamp_updated: string } } }>;
    const lastEvent = new Map(events.map((e) => [e.entity_id, e.payload.record.timestamp_updated]));
    for (const [id, stamped] of answers) expect(lastEvent.get(id)).toBe(stamped);
    // Event positions follow commit order, and so do change times.
    const times = events.map((e) => e.payload.record.timestamp_updated);
    expect([...times].sort()).toEqual(times);

    const listed = await as(admin).get(`${BASE}?updated_after=1970-01-01T00:00:00Z&limit=100`);
    expect(listed.json().items).toHaveLength(12);
  });
});
