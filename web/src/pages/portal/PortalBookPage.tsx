import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/errors';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation, withQuery } from '../../router';
import { ErrorMessage, Page, QueryState } from '../../ui/Page';
import { bodyOf, bookingOf, emptyBooking, errorsByPath, newLine, shownInForm, type Booking, type OrderTemplate } from './booking';
import { Field, GoodsFieldset, StopFieldset, TextField, type FieldErrors } from './BookingFields';
import './portal.css';

const TEMPLATES = ['order-templates'] as const;
/** Booking an order or saving a template can add a place: both refresh the list. */
const LOCATIONS = ['saved-locations'] as const;

/**
 * Book an order: a form for the pickup and delivery, the goods, references and instructions, sent
 * as the upload's CREATE. The API checks it and its messages appear next to the fields they name.
 * A filled form can be saved as a template; `?template=<id>` starts from one.
 */
export default function PortalBookPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const templateId = search.get('template') || undefined;
  const templates = useQuery({ queryKey: TEMPLATES, queryFn: () => unwrap(api.GET('/v1/orders/templates')) });
  return (
    <Page title={t('portal.book.title')} actions={<Link to="/portal/orders">{t('portal.order.back')}</Link>}>
      <QueryState query={templates}>
        {(data) => {
          const template = data.items.find((item) => item.id === templateId);
          return (
            <>
              <TemplatePicker templates={data.items} current={template} />
              <BookingForm key={template?.id ?? 'empty'} template={template} />
            </>
          );
        }}
      </QueryState>
    </Page>
  );
}

function TemplatePicker({ templates, current }: { templates: OrderTemplate[]; current: OrderTemplate | undefined }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/orders/templates/{template_id}', { params: { path: { template_id: id } } })),
    onSuccess: async () => {
      navigate('/portal/book', { replace: true });
      await queryClient.invalidateQueries({ queryKey: TEMPLATES });
    },
  });
  if (templates.length === 0) return null;
  const choose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get('template') ?? '');
    navigate(withQuery('/portal/book', { template: id || undefined }));
  };
  return (
    <form className="filters" onSubmit={choose} aria-label={t('portal.book.template')}>
      <label>
        {t('portal.book.template')}
        <select name="template" defaultValue={current?.id ?? ''}>
          <option value="">{t('portal.book.noTemplate')}</option>
          {templates.map((template) => (
            <option key={template.id} value={template.id}>
              {template.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t('portal.book.useTemplate')}</button>
      {current ? (
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (window.confirm(t('portal.book.confirmDeleteTemplate', { name: current.name }))) remove.mutate(current.id);
          }}
        >
          {t('portal.book.deleteTemplate')}
        </button>
      ) : null}
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </form>
  );
}

/** Why an upload answered without an order: the API's own reasons, or that the number is taken. */
class Refused extends Error {}

function BookingForm({ template }: { template: OrderTemplate | undefined }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [booking, setBooking] = useState<Booking>(() => (template ? bookingOf(template.order) : emptyBooking()));
  const [errors, setErrors] = useState<FieldErrors>(new Map());
  const [templateName, setTemplateName] = useState(template?.name ?? '');
  const [saved, setSaved] = useState<string | undefined>();
  const set = (patch: Partial<Booking>) => setBooking((current) => ({ ...current, ...patch }));
  // Most used first; a company with more than 100 places still finds its usual ones on top.
  const locations = useQuery({ queryKey: LOCATIONS, queryFn: () => unwrap(api.GET('/v1/orders/locations', { params: { query: { limit: 100 } } })) });
  const savedLocations = locations.data?.items ?? [];

  /** Empty goods lines are dropped before sending, so the API's line numbers are the form's. */
  function cleaned(): Booking {
    const goods = booking.goods.filter((line) => line.description.trim() || line.quantity.trim() || line.weight.trim());
    const next = { ...booking, goods: goods.length ? goods : [newLine()] };
    setBooking(next);
    return next;
  }
  const showErrors = (error: unknown) => setErrors(isApiError(error) ? errorsByPath(error.errors) : new Map());

  const book = useMutation({
    mutationFn: async (form: Booking) => {
      const answer = await unwrap(
        api.POST('/v1/orders/order/upload', { body: { operation: 'CREATE', order_identifier: form.order_identifier.trim(), ...bodyOf(form) } }),
      );
      if (answer.upload_status === 'DUPLICATE') throw new Refused(t('portal.book.duplicate'));
      if (answer.upload_status !== 'COMPLETED' || !answer.order_id) {
        throw new Refused(t('portal.book.refused', { reason: answer.errors.map((e) => e.error_message).join(' ') || answer.upload_status }));
      }
      return answer.order_id;
    },
    // Only the latest attempt's outcome is shown: a booking's refusal must not linger under a template's success, nor the reverse.
    onMutate: () => {
      setErrors(new Map());
      setSaved(undefined);
      save.reset();
    },
    onError: showErrors,
    onSuccess: async (orderId) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['portal-orders'] }), queryClient.invalidateQueries({ queryKey: LOCATIONS })]);
      navigate(`/portal/orders/${orderId}`);
    },
  });

  const save = useMutation({
    mutationFn: async ({ form, replace }: { form: Booking; replace: boolean }) => {
      const body = { name: templateName.trim(), order: bodyOf(form) };
      return replace && template
        ? unwrap(api.PUT('/v1/orders/templates/{template_id}', { params: { path: { template_id: template.id } }, body }))
        : unwrap(api.POST('/v1/orders/templates', { body }));
    },
    onMutate: () => {
      setErrors(new Map());
      setSaved(undefined);
      book.reset();
    },
    onError: showErrors,
    onSuccess: async (saved) => {
      setSaved(saved.name);
      await Promise.all([queryClient.invalidateQueries({ queryKey: TEMPLATES }), queryClient.invalidateQueries({ queryKey: LOCATIONS })]);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    book.mutate(cleaned());
  };
  const failure = book.error ?? save.error;
  const busy = book.isPending || save.isPending;

  return (
    <form className="booking" onSubmit={submit} noValidate aria-label={t('portal.book.title')}>
      {template ? (
        <p className="notice notice-ok" role="status">
          {t('portal.book.fromTemplate', { name: template.name })}
          {booking.otherConsignments.length ? ` ${t('portal.book.moreConsignments', { count: booking.otherConsignments.length + 1 })}` : ''}
        </p>
      ) : null}
      <fieldset>
        <legend>{t('portal.book.order')}</legend>
        <div className="field-grid">
          <TextField
            label={t('portal.book.identifier')}
            hint={t('portal.book.identifierHint')}
            path="order_identifier"
            errors={errors}
            value={booking.order_identifier}
            onChange={(order_identifier) => set({ order_identifier })}
          />
          <TextField
            label={t('portal.book.reference')}
            path="customer_reference_number"
            errors={errors}
            value={booking.customer_reference_number}
            onChange={(customer_reference_number) => set({ customer_reference_number })}
          />
          <Field label={t('portal.book.kind')} path="order_status" errors={errors}>
            {(a11y) => (
              <select {...a11y} value={booking.order_status} onChange={(event) => set({ order_status: event.target.value === 'QUOTE' ? 'QUOTE' : 'TO_PLAN' })}>
                <option value="TO_PLAN">{t('portal.book.kind.TO_PLAN')}</option>
                <option value="QUOTE">{t('portal.book.kind.QUOTE')}</option>
              </select>
            )}
          </Field>
          <Field label={t('portal.book.instructions')} path="planning_instructions" errors={errors} wide>
            {(a11y) => (
              <textarea
                {...a11y}
                maxLength={5000}
                value={booking.planning_instructions}
                onChange={(event) => set({ planning_instructions: event.target.value })}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <div className="stops">
        <StopFieldset which="pickup" stop={booking.pickup} errors={errors} locations={savedLocations} onChange={(pickup) => set({ pickup })} />
        <StopFieldset which="delivery" stop={booking.delivery} errors={errors} locations={savedLocations} onChange={(delivery) => set({ delivery })} />
      </div>
      <GoodsFieldset booking={booking} errors={errors} onChange={(goods) => set({ goods })} />

      {failure ? (
        failure instanceof Refused ? (
          <div className="notice notice-error" role="alert">
            <p>{failure instanceof Error ? failure.message : null}</p>
          </div>
        ) : errors.size ? (
          // The details are next to their fields; the API's own message says what went wrong overall.
          <div className="notice notice-error" role="alert">
            <p>{t('portal.book.fixFields')}</p>
            <p>{failure instanceof Error ? failure.message : null}</p>
            <ul>
              {[...errors]
                .filter(([path]) => !shownInForm(path))
                .map(([path, messages]) => (
                  <li key={path}>
                    <code>{path}</code> {messages.join(' ')}
                  </li>
                ))}
            </ul>
          </div>
        ) : (
          <ErrorMessage error={failure} />
        )
      ) : null}
      {saved ? (
        <p className="notice notice-ok" role="status">
          {t('portal.book.templateSaved', { name: saved })}
        </p>
      ) : null}

      <div className="form-actions">
        <button type="submit" disabled={busy}>
          {book.isPending ? t('portal.book.submitting') : t('portal.book.submit')}
        </button>
      </div>
      <fieldset>
        <legend>{t('portal.book.saveTemplate')}</legend>
        <div className="form-actions">
          <TextField label={t('portal.book.templateName')} path="name" errors={errors} value={templateName} onChange={setTemplateName} maxLength={100} />
          <button type="button" className="secondary" disabled={busy} onClick={() => save.mutate({ form: cleaned(), replace: false })}>
            {t('portal.book.saveTemplate')}
          </button>
          {template ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => save.mutate({ form: cleaned(), replace: true })}>
              {t('portal.book.replaceTemplate')}
            </button>
          ) : null}
        </div>
      </fieldset>
    </form>
  );
}
