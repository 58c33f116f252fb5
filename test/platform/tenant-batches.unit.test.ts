import { describe, expect, it } from 'vitest';
import { TenantBatches } from '../../src/platform/db/tenant-batches.js';

/** A batch runner that records its batches and finishes each one when told to. */
function recorder() {
  const batches: Array<{ tenantId: string; items: number[]; finish: () => void }> = [];
  const batcher = new TenantBatches<number, number>(
    (tenantId, items) =>
      new Promise((resolve) => {
        batches.push({
          tenantId,
          items,
          finish: () => resolve(items.map((i) => (i < 0 ? { status: 'rejected', reason: new Error(`bad ${i}`) } : { status: 'fulfilled', value: i * 10 }))),
        });
      }),
    { maxBatch: 3, maxRunning: 1 },
  );
  return { batches, batcher };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('TenantBatches', () => {
  it('starts an idle tenant at once, and sends what arrives meanwhile together, at most maxBatch at a time', async () => {
    const { batches, batcher } = recorder();
    const answers = [1, 2, 3, 4, 5].map((i) => batcher.submit('a', i));
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    batches[0]?.finish();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]?.finish();
    await tick();
    batches[2]?.finish();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('keeps tenants apart and settles each item with its own outcome', async () => {
    const { batches, batcher } = recorder();
    const a = batcher.submit('a', 1);
    const b = batcher.submit('b', -2);
    await tick();
    expect(batches.map((x) => [x.tenantId, x.items])).toEqual([
      ['a', [1]],
      ['b', [-2]],
    ]);
    for (const x of batches) x.finish();
    await expect(a).resolves.toBe(10);
    await expect(b).rejects.toThrow('bad -2');
  });

  it('rejects every item of a batch whose runner throws, and goes on with the next batch', async () => {
    let calls = 0;
    const batcher = new TenantBatches<number, number>(
      async (_tenantId, items) => {
        calls++;
        if (calls === 1) throw new Error('database gone');
        return items.map((i) => ({ status: 'fulfilled', value: i }));
      },
      { maxBatch: 10, maxRunning: 1 },
    );
    const first = batcher.submit('a', 1);
    const second = batcher.submit('a', 2);
    await expect(first).rejects.toThrow('database gone');
    await expect(second).resolves.toBe(2);
  });
});
