/**
 * Orders: import, partial updates, status pull and the order snapshot that pushes carry.
 * The only way into this module: other modules, app.ts and services.ts import from here.
 */
export type { PlanningStop, StopCriteria, StopExecution } from './orders.execution.js';
export { ordersModule } from './orders.module.js';
export { OrderOutput, OrderStopOutput } from './orders.output-schemas.js';
export { TimeWindowInput } from './orders.schemas.js';
export type { OrderRef, OrdersService, VisibilityOrder } from './orders.service.js';
export { orderEvents } from './orders.event-catalog.js';
/** The order list's workbook, drawn on the calling thread: the portal bench's ceiling (the server draws it in a worker). */
export { renderXlsx as renderOrderWorkbook } from './spreadsheet/spreadsheet.render.js';
