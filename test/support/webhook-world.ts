import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/config.js';
import type { WebhookEngine } from '../../src/modules/webhooks/webhooks.worker.js';
import { createTestApp, type TestContext } from './app.js';
import { Receiver } from './webhook-receiver.js';

export interface WebhookWorld {
  ctx: TestContext;
  engine: WebhookEngine;
  receiver: Receiver;
}

/**
 * For one test file: an app on a fresh database with its webhook engine running, and one real
 * receiver on 127.0.0.1. The fields are set before the file's tests run and torn down after them.
 */
export function webhookWorld(overrides: Partial<Config> = {}): WebhookWorld {
  const world = {} as WebhookWorld;
  beforeAll(async () => {
    world.ctx = await createTestApp(overrides);
    world.engine = world.ctx.services.webhooks.startEngine((err) => console.error('engine error', err));
    world.receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await world.engine.stop();
    await world.receiver.close();
    await world.ctx.close();
  });
  return world;
}
