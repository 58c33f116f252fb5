import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { formatMoney } from '../../ui/amounts';
import { ListTable } from '../../ui/DataTable';
import { DocumentList } from '../../ui/Documents';
import { labelOf, ORDER_STATUSES } from '../../ui/format';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { Facts, Section } from '../../ui/Section';
import { StatusBadge, StopTimeline } from '../orders/OrderPage';
import { TrackingLinkSection } from '../orders/TrackingLinkSection';
import './portal.css';

type Order = components['schemas']['OrderOutput'];
type Charge = components['schemas']['ChargeWithApprovalOutput'];
const APPROVALS = ['TO_REQUEST', 'REQUESTED', 'REJECTED_INTERNAL', 'REJECTED', 'APPROVED'] as const;
/** An order in these states is over: there is nothing left to cancel. */
const FINISHED = ['COMPLETED', 'CANCELLED'];

/**
 * One of the customer's orders: where it stands (the stop timeline with requested, expected and
 * actual times), its documents (the POD among them), the charges waiting for its answer, a
 * public tracking link to share with the consignee, and a cancel button while the order is not finished. Live events refetch it (live.ts).
 */
export default function PortalOrderPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const orderId = params.id ?? '';
  const order = useQuery({
    queryKey: ['portal-order', orderId],
    queryFn: () => unwrap(api.GET('/v1/orders/order/{order_id}', { params: { path: { order_id: orderId } } })),
  });
  const title = order.data ? t('order.title', { name: order.data.name }) : t('order.titleLoading');
  return (
    <Page title={title} actions={<Link to="/portal/orders">{t('portal.order.back')}</Link>}>
      <QueryState query={order}>{(data) => <OrderDetails order={data} />}</QueryState>
    </Page>
  );
}

function OrderDetails({ order }: { order: Order }) {
  const { t, formatDateTime } = useI18n();
  const documents = useQuery({
    queryKey: ['portal-order-documents', order.id],
    queryFn: () => unwrap(api.GET('/v1/orders/order/{order_id}/documents', { params: { path: { order_id: order.id } } })),
  });
  return (
    <>
      <Facts
        items={[
          [t('orders.status'), <StatusBadge key="s" text={labelOf(t, 'status', order.status, ORDER_STATUSES)} />],
          [t('portal.book.identifier'), order.order_identifier],
          [t('orders.reference'), order.customer_reference_number ?? '—'],
          [t('order.created'), formatDateTime(order.created_timestamp)],
          [t('orders.updated'), formatDateTime(order.updated_timestamp)],
        ]}
      />
      {FINISHED.includes(order.status) ? null : <CancelOrder order={order} />}
      <Section id="stops" title={t('order.stops')}>
        <StopTimeline stops={order.stops} />
      </Section>
      <Section id="documents" title={t('order.documents')}>
        <QueryState query={documents}>{(data) => <DocumentList documents={data} />}</QueryState>
      </Section>
      <Section id="charges" title={t('portal.order.charges')}>
        <Charges orderId={order.id} />
      </Section>
      <TrackingLinkSection orderId={order.id} />
    </>
  );
}

/** The contract's cancel: the upload's DELETE of the order's key. The API decides whether it still may. */
function CancelOrder({ order }: { order: Order }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: async () => {
      const answer = await unwrap(
        api.POST('/v1/orders/order/upload', { body: { operation: 'DELETE', order_identifier: order.order_identifier, consignments: [] } }),
      );
      if (answer.upload_status !== 'COMPLETED') throw new Error(answer.errors.map((e) => e.error_message).join(' ') || answer.upload_status);
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
  return (
    <div className="form-actions">
      <button
        type="button"
        className="danger"
        disabled={cancel.isPending}
        onClick={() => {
          if (window.confirm(t('portal.order.confirmCancel', { name: order.name }))) cancel.mutate();
        }}
      >
        {t('portal.order.cancel')}
      </button>
      {cancel.isError ? <ErrorMessage error={cancel.error} /> : null}
    </div>
  );
}

function Charges({ orderId }: { orderId: string }) {
  const { t, language } = useI18n();
  const charges = useQuery({
    queryKey: ['portal-order-charges', orderId],
    queryFn: () => unwrap(api.GET('/v1/orders/order/{order_id}/charges', { params: { path: { order_id: orderId } } })),
  });
  return (
    <QueryState query={charges} isEmpty={(data) => data.charges.length === 0} empty={t('portal.order.noCharges')}>
      {(data) => (
        <ListTable
          caption={t('portal.order.chargesCaption')}
          headers={[t('portal.order.charge'), t('portal.order.amount'), t('portal.order.approval'), t('portal.order.answer')]}
        >
          {data.charges.map((charge) => (
            <tr key={charge.id}>
              <td data-label={t('portal.order.charge')}>
                {charge.name}
                {charge.description ? <span className="muted"> · {charge.description}</span> : null}
              </td>
              <td data-label={t('portal.order.amount')}>{formatMoney(charge.amount_excl_tax, charge.currency, language)}</td>
              <td data-label={t('portal.order.approval')}>
                {charge.requires_approval ? labelOf(t, 'portal.order.approval', charge.approval_status, APPROVALS) : '—'}
                {charge.approval_reason ? <p className="muted">{t('portal.order.reasonGiven', { reason: charge.approval_reason })}</p> : null}
              </td>
              <td>
                {charge.requires_approval && charge.approval_status === 'REQUESTED' && !charge.invoice_id ? (
                  <ChargeAnswer orderId={orderId} charge={charge} />
                ) : null}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
    </QueryState>
  );
}

/** Approve, or reject with a reason: the contract's charge approval, one charge at a time. */
function ChargeAnswer({ orderId, charge }: { orderId: string; charge: Charge }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const answer = useMutation({
    mutationFn: (approval_status: 'APPROVED' | 'REJECTED') =>
      unwrap(
        api.POST('/v1/orders/order/{order_id}/charges/approval', {
          params: { path: { order_id: orderId } },
          body: { charges: [{ id: charge.id, approval_status, ...(reason.trim() ? { reason: reason.trim() } : {}) }] },
        }),
      ),
    onSuccess: (data) => queryClient.setQueryData(['portal-order-charges', orderId], data),
  });
  return (
    <div className="charge-answer">
      <button
        type="button"
        disabled={answer.isPending}
        onClick={() => answer.mutate('APPROVED')}
        aria-label={t('portal.order.approveOf', { name: charge.name })}
      >
        {t('portal.order.approve')}
      </button>
      <label>
        <span className="visually-hidden">{t('portal.order.reasonOf', { name: charge.name })}</span>
        <span aria-hidden="true">{t('portal.order.reason')}</span>
        <input value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
      </label>
      <button
        type="button"
        className="danger"
        disabled={answer.isPending}
        onClick={() => answer.mutate('REJECTED')}
        aria-label={t('portal.order.rejectOf', { name: charge.name })}
      >
        {t('portal.order.reject')}
      </button>
      {answer.isError ? <ErrorMessage error={answer.error} /> : null}
    </div>
  );
}
