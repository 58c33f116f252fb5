/**
 * Overview: the console's first page, counts of what needs attention with the lists behind them.
 * The only way into this module: app.ts and services.ts import from here.
 */
export { overviewModule } from './overview.module.js';
export type { OverviewSources } from './overview.service.js';
