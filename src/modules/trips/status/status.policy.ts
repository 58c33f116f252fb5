import type { StopExecution } from '../../orders/index.js';

/**
 * How one inbound status update moves a stop, decided without side effects. Updates may arrive
 * twice or out of order (retries, several devices): a stop only moves forward (to plan → at stop
 * → completed), a repeat of what the stop already shows is a duplicate, a report of the same status
 * with a newer event time moves the stop's actual time to it, and an update behind the stop's state
 * (a lesser status, or the same one with an older time) is stale. ETAs apply until the stop is completed.
 */

export interface StatusReport {
  status?: 'AT_STOP' | 'COMPLETED' | null;
  etaStart?: Date | null;
  etaEnd?: Date | null;
  eventTime: Date;
}

export type ProgressOutcome = 'APPLIED' | 'DUPLICATE' | 'STALE';

export interface Progress {
  outcome: ProgressOutcome;
  next: StopExecution;
  /** The transitions that happened, for visibility events (a completion reported without an arrival is one). */
  arrived: boolean;
  completed: boolean;
  etaChanged: boolean;
}

const RANK: Record<string, number> = { AT_STOP: 1, COMPLETED: 2 };
const rankOf = (status: string) => RANK[status] ?? 0;
const sameTime = (a: Date | null, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export function progressStop(current: StopExecution, report: StatusReport): Progress {
  const next = { ...current };
  let arrived = false;
  let completed = false;
  let statusOutcome: ProgressOutcome | undefined;
  if (report.status) {
    const have = rankOf(current.status);
    const want = rankOf(report.status);
    if (want > have) {
      statusOutcome = 'APPLIED';
      next.status = report.status;
      if (report.status === 'AT_STOP') {
        next.actual_start = report.eventTime;
        arrived = true;
      } else {
        // A stop reported done without an arrival gets its arrival from the same report.
        next.actual_start = current.actual_start ?? report.eventTime;
        next.actual_end = report.eventTime;
        completed = true;
      }
    } else if (want === have) {
      // The same status again: a newer event corrects the stop's time, so that whatever order
      // concurrent reports arrive in, the stop ends as the newest event says; an older one is stale.
      const field = report.status === 'AT_STOP' ? 'actual_start' : 'actual_end';
      const recorded = current[field];
      if (sameTime(recorded, report.eventTime)) statusOutcome = 'DUPLICATE';
      else if (recorded && recorded.getTime() > report.eventTime.getTime()) statusOutcome = 'STALE';
      else {
        statusOutcome = 'APPLIED';
        next[field] = report.eventTime;
      }
    } else {
      statusOutcome = 'STALE';
    }
  }
  let etaChanged = false;
  const etaGiven = report.etaStart !== undefined || report.etaEnd !== undefined;
  if (etaGiven && next.status !== 'COMPLETED') {
    const etaStart = report.etaStart === undefined ? current.eta_start : report.etaStart;
    const etaEnd = report.etaEnd === undefined ? current.eta_end : report.etaEnd;
    etaChanged = !sameTime(current.eta_start, etaStart) || !sameTime(current.eta_end, etaEnd);
    next.eta_start = etaStart;
    next.eta_end = etaEnd;
  }
  const changed = statusOutcome === 'APPLIED' || etaChanged;
  const outcome: ProgressOutcome = changed ? 'APPLIED' : (statusOutcome ?? (etaGiven && current.status === 'COMPLETED' ? 'STALE' : 'DUPLICATE'));
  return { outcome, next, arrived, completed, etaChanged };
}
