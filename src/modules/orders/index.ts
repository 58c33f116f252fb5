/**
 * Orders: import, partial updates, status pull and the order snapshot that pushes carry.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export type { PlanningStop, StopCriteria, StopExecution, StopExecutions } from './execution/execution.service.js';
export { ordersModule } from './orders.module.js';
export { OrderOutput, OrderStopOutput } from './views/views.schemas.js';
export { TimeWindowInput } from './orders.schemas.js';
export { ORDER_STATUSES, STOP_STATUSES } from './status/status.policy.js';
export type { OrderStatus, StopStatus } from './status/status.policy.js';
export type { OrderRef, OrdersService, VisibilityOrder } from './orders.service.js';
export { orderEvents } from './orders.events.js';
/** The order list's workbook, drawn on the calling thread: the portal bench's ceiling (the server draws it in a worker). */
export { renderXlsx as renderOrderWorkbook } from './spreadsheet/spreadsheet.render.js';
