import { EventEmitter } from 'node:events';

/**
 * In-process wake-up signal: fired after a transaction that wrote events has committed, so the
 * workers in this process react at once instead of waiting for their next poll. Other processes
 * learn of new events through PostgreSQL's NOTIFY on the same channel name.
 */
export const EVENTS_CHANNEL = 'waybill_events';

export class EventBus extends EventEmitter {
  notifyCommitted(tenantId: string): void {
    this.emit('committed', tenantId);
  }

  onCommitted(listener: (tenantId: string) => void): () => void {
    this.on('committed', listener);
    return () => this.off('committed', listener);
  }
}
