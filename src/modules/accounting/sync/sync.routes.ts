import { principalOf } from '../../../platform/http/auth.js';
import { IdParams, readErrors as readErrorsOf, writeErrors as writeErrorsOf } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import {
  AvailableTasks,
  BillingDocumentUpdatePayload,
  BillingDocumentUpdateResponse,
  TaskDetail,
  TaskListQuery,
  TaskPageOnlyQuery,
  TaskUpdate,
  TaskUpdateInput,
} from './sync.schemas.js';
import type { TasksService } from './sync.service.js';

const TAGS = ['Accounting sync'];
const TENANT = { roles: ['TENANT' as const] };
const readErrors = readErrorsOf(404);
const writeErrors = writeErrorsOf(404, 409);

export function tasksRoutes(app: App, deps: { tasks: TasksService }) {
  const { tasks } = deps;

  // The accounting flavour (with a billing-entity filter) and the generic task API share one queue.
  const families = [
    { list: '/v1/accounting/sync-tasks', one: '/v1/accounting/sync-tasks/:id', op: 'SyncTask', filter: true },
    { list: '/v1/tasks/available-tasks', one: '/v1/tasks/task/:id', op: 'Task', filter: false },
  ];
  for (const f of families) {
    app.get(f.list, {
      config: TENANT,
      schema: {
        operationId: `list${f.op}s`,
        tags: TAGS,
        summary: 'List open accounting tasks',
        description:
          'Every task still to do (TODO) in queue order (a retried task joins the end); a task stays listed until it is reported COMPLETED or FAILED. ' +
          `Pages hold up to \`limit\` tasks (1,000 by default and at most); \`next_cursor\` and the \`Link: <…>; rel="next"\` header lead to the next page, and a task queued while you page shows up on a later page.` +
          (f.filter
            ? ' Waybill filters: `billing_entity_code` keeps one entity’s; `status` lists the tasks in another state instead (FAILED ones with their reason to fix and retry, COMPLETED ones), in the same order. A query parameter not listed here is a 400 naming it.'
            : ' A query parameter not listed here is a 400 naming it.'),
        querystring: f.filter ? TaskListQuery : TaskPageOnlyQuery,
        response: { 200: ref(AvailableTasks), ...readErrors },
      },
      handler: async (request, reply) => {
        const page = await tasks.list(principalOf(request), request.query as TaskListQuery);
        if (page.next_cursor) void reply.header('link', `<${f.list}?cursor=${page.next_cursor}>; rel="next"`);
        return page;
      },
    });

    app.get(f.one, {
      config: TENANT,
      schema: {
        operationId: `get${f.op}`,
        tags: TAGS,
        summary: 'Get an accounting task with its document',
        description: 'The task, the document to post (`payload.instance`, told apart by `subject_type`) and its files.',
        params: IdParams,
        response: { 200: ref(TaskDetail), ...readErrors },
      },
      handler: async (request) => tasks.get(principalOf(request), request.params.id),
    });

    app.post(`${f.one}/update-status`, {
      config: TENANT,
      schema: {
        operationId: `update${f.op}Status`,
        tags: TAGS,
        summary: 'Report the outcome of an accounting task',
        description:
          'COMPLETED marks the document posted; FAILED keeps the reason for the tenant to see and fix (then retry). COMPLETED on a completed task answers 200 and changes nothing (a retried report); FAILED on it is a 409.',
        params: IdParams,
        body: ref(TaskUpdateInput),
        response: { 200: ref(TaskUpdate), ...writeErrors },
      },
      handler: async (request) => tasks.updateStatus(principalOf(request), request.params.id, request.body),
    });
  }

  app.post('/v1/accounting/sync-tasks/:id/retry', {
    config: TENANT,
    schema: {
      operationId: 'retrySyncTask',
      tags: TAGS,
      summary: 'Put a failed task back in the queue (Waybill)',
      description: 'A FAILED task becomes TODO again, once whatever made it fail is fixed.',
      params: IdParams,
      response: { 200: ref(TaskUpdate), ...writeErrors },
    },
    handler: async (request) => tasks.retry(principalOf(request), request.params.id),
  });

  app.post('/v1/webhook/billing-document-update', {
    config: { auth: 'basic', roles: ['TENANT'] },
    schema: {
      operationId: 'billingDocumentUpdate',
      tags: TAGS,
      summary: 'Write external references back onto sales invoices',
      description:
        'Sets custom fields on sales invoices matched by name (`id` is kept as `custom_fields.external_id`). An update matching no single invoice is listed in `errors`; the others still apply.',
      security: [{ webhookBasic: [] }],
      body: ref(BillingDocumentUpdatePayload),
      response: { 200: ref(BillingDocumentUpdateResponse), ...writeErrors },
    },
    handler: async (request) => tasks.billingDocumentUpdate(principalOf(request), request.body),
  });
}
