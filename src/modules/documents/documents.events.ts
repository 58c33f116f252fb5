import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf, Snapshot } from '../../platform/events/catalog.js';

const document = (summary: string, families: ReadonlyArray<'operational_visibility'>) => ({
  entityType: 'document',
  summary,
  payload: Type.Object({
    id: Type.String(),
    name: Type.String(),
    type: Nullable(Type.String()),
    content_type: Type.String(),
    size: Type.Number(),
    order_id: Nullable(Type.String()),
    subject: Nullable(Type.Object({ type: Nullable(Type.String()), id: Nullable(Type.String()) })),
    download_url: Type.String(),
    order_snapshot: Type.Optional(Snapshot("The contract's VisibilityOrder of the document's order, as of the upload.")),
  }),
  families,
});

export const documentEvents = declareEvents('documents', {
  'document.created': document('A document was attached to an order, trip, stop, company or resource.', ['operational_visibility']),
  'document.uploaded': document('A file was staged for a later attachment.', []),
});

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof documentEvents> {}
}
