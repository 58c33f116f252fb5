/**
 * Runs `step` whenever there may be work: at once when woken, again immediately while a step
 * reports more work, and otherwise every `pollMs` as a fallback for missed wake-ups. Wake-ups that
 * arrive during a step are remembered, never lost, and never start a second concurrent step.
 */
export class WorkLoop {
  private running = false;
  private wakeRequested = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();

  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    this.wakeRequested = true;
    if (!this.running) this.current = this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    clearTimeout(this.timer);
    try {
      while (this.wakeRequested && !this.stopped) {
        this.wakeRequested = false;
        let more = false;
        try {
          more = await this.step();
        } catch (err) {
          this.onError(err);
        }
        if (more) this.wakeRequested = true;
      }
    } finally {
      this.running = false;
      if (!this.stopped) {
        this.timer = setTimeout(() => this.wake(), this.pollMs);
        this.timer.unref();
      }
    }
  }

  /** Stops scheduling and waits for the step in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }
}
