import type { TestContext } from '../support/app.js';

/** How many document rows the database holds: a refused upload or import must leave it unchanged. */
export async function documentCount(ctx: TestContext): Promise<number> {
  const row = await ctx.services.db
    .selectFrom('documents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
