import { workerTask } from '../../../platform/workers/pool.js';
import type { renderXlsx } from './spreadsheet.render.js';

/**
 * Workbooks are written in the server's worker threads (platform/workers), as PDFs are: the XML and
 * zip of a large export would otherwise hold the event loop that answers every other request. Only
 * this declaration loads here; write-excel-file loads in the thread.
 */
const RENDER_MODULE = new URL(`./spreadsheet.render${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

export const renderXlsxTask = workerTask<typeof renderXlsx>(RENDER_MODULE, 'renderXlsx');
