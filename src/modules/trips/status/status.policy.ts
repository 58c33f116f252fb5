import type { StopExecution } from '../../orders/index.js';

/**
 * How one inbound status update moves a stop, decided without side effects. Updates may arrive
 * twice or out of order (retries, several devices): a stop only moves forward (to plan → at stop
 * → completed), a repeat of what the stop already shows is a duplicate, and an update behind the
 * stop's state is stale. ETAs apply until the stop is completed.
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
      const recorded = report.status === 'AT_STOP' ? current.actual_start : current.actual_end;
      statusOutcome = sameTime(recorded, report.eventTime) ? 'DUPLICATE' : 'STALE';
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
