import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { locationText } from '../../ui/format';
import { FIELD_PATHS, newLine, withLocation, type Booking, type GoodsLine, type SavedLocation, type StopFields } from './booking';

/** The API's messages by field path (booking.ts#errorsByPath). */
export type FieldErrors = Map<string, string[]>;

const idOf = (path: string) => `field-${path.replaceAll('.', '-')}`;

/**
 * One labelled control with the API's messages for its field right below it, tied to it with
 * aria-describedby so a screen reader reads them with the field.
 */
export function Field({
  label,
  path,
  errors,
  wide,
  hint,
  children,
}: {
  label: string;
  path: string;
  errors: FieldErrors;
  wide?: boolean;
  /** A line of help under the field, read with it. */
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = idOf(path);
  const messages = errors.get(path) ?? [];
  const describedBy = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, ...(messages.length ? { 'aria-invalid': true as const } : {}) })}
      {hint ? (
        <p className="muted field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {messages.length ? (
        <p className="field-error" id={`${id}-error`}>
          {messages.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export function TextField(props: {
  label: string;
  path: string;
  errors: FieldErrors;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'date' | 'time' | 'number';
  wide?: boolean;
  hint?: string;
  maxLength?: number;
  autoComplete?: string;
}) {
  const { label, path, errors, value, onChange, type = 'text', wide, hint, maxLength = 255, autoComplete } = props;
  return (
    <Field label={label} path={path} errors={errors} wide={wide} hint={hint}>
      {(a11y) => (
        <input
          {...a11y}
          type={type}
          value={value}
          maxLength={type === 'text' ? maxLength : undefined}
          step={type === 'number' ? 'any' : undefined}
          autoComplete={autoComplete ?? 'off'}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** Pickup or delivery: the place, the day and the window, a reference and a note. */
export function StopFieldset({
  which,
  stop,
  errors,
  locations,
  onChange,
}: {
  which: 'pickup' | 'delivery';
  stop: StopFields;
  errors: FieldErrors;
  /** The customer's saved locations, most used first (GET /v1/orders/locations). */
  locations: SavedLocation[];
  onChange(stop: StopFields): void;
}) {
  const { t } = useI18n();
  const field = (name: keyof StopFields, label: string, extra: { type?: 'text' | 'date' | 'time'; wide?: boolean; maxLength?: number } = {}) => (
    <TextField
      label={label}
      path={FIELD_PATHS.stop(which, name)}
      errors={errors}
      value={stop[name]}
      onChange={(value) => onChange({ ...stop, [name]: value })}
      {...extra}
    />
  );
  return (
    <fieldset>
      <legend>{which === 'pickup' ? t('portal.book.pickup') : t('portal.book.delivery')}</legend>
      <div className="field-grid">
        {locations.length ? <SavedLocationPicker which={which} locations={locations} onPick={(location) => onChange(withLocation(stop, location))} /> : null}
        {field('name', t('portal.book.placeName'), { wide: true })}
        {field('address', t('portal.book.address'), { wide: true, maxLength: 500 })}
        {field('postal_code', t('portal.book.postalCode'), { maxLength: 20 })}
        {field('city', t('portal.book.city'), { maxLength: 200 })}
        {field('country', t('portal.book.country'), { maxLength: 20 })}
        {field('date', t('portal.book.date'), { type: 'date' })}
        {field('start_time', t('portal.book.from'), { type: 'time' })}
        {field('end_time', t('portal.book.until'), { type: 'time' })}
        {field('reference_number', t('portal.book.stopReference'))}
        {field('note', t('portal.book.note'), { wide: true, maxLength: 2000 })}
      </div>
    </fieldset>
  );
}

/**
 * A labelled select of the places this customer already ships from and to: picking one fills the
 * stop's place fields, which stay editable. The select itself keeps no value, so picking the same
 * place again after an edit fills it again.
 */
function SavedLocationPicker({
  which,
  locations,
  onPick,
}: {
  which: 'pickup' | 'delivery';
  locations: SavedLocation[];
  onPick(location: SavedLocation): void;
}) {
  const { t } = useI18n();
  const id = `saved-location-${which}`;
  return (
    <div className="field wide">
      <label htmlFor={id}>{t('portal.book.savedLocation')}</label>
      <select
        id={id}
        value=""
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          const picked = locations.find((location) => location.id === event.target.value);
          if (picked) onPick(picked);
        }}
      >
        <option value="">{t('portal.book.savedLocationNone')}</option>
        {locations.map((location) => (
          <option key={location.id} value={location.id}>
            {locationText(location)}
          </option>
        ))}
      </select>
      <p className="muted field-hint" id={`${id}-hint`}>
        {t('portal.book.savedLocationHint')}
      </p>
    </div>
  );
}

/** The goods of the (first) consignment, one line each; lines are added and removed. */
export function GoodsFieldset({ booking, errors, onChange }: { booking: Booking; errors: FieldErrors; onChange(goods: GoodsLine[]): void }) {
  const { t } = useI18n();
  const set = (index: number, line: GoodsLine) => onChange(booking.goods.map((l, i) => (i === index ? line : l)));
  return (
    <fieldset>
      <legend>{t('portal.book.goods')}</legend>
      {booking.goods.map((line, index) => (
        <div className="goods-line" key={line.key} role="group" aria-label={t('portal.book.goodsLine', { number: index + 1 })}>
          <TextField
            label={t('portal.book.description')}
            path={FIELD_PATHS.good(index, 'description')}
            errors={errors}
            value={line.description}
            onChange={(description) => set(index, { ...line, description })}
            maxLength={2000}
          />
          <TextField
            label={t('portal.book.quantity')}
            path={FIELD_PATHS.good(index, 'quantity')}
            errors={errors}
            type="number"
            value={line.quantity}
            onChange={(quantity) => set(index, { ...line, quantity })}
          />
          <TextField
            label={t('portal.book.weight')}
            path={FIELD_PATHS.good(index, 'weight')}
            errors={errors}
            type="number"
            value={line.weight}
            onChange={(weight) => set(index, { ...line, weight })}
          />
          <button
            type="button"
            className="secondary"
            aria-label={t('portal.book.removeLine', { number: index + 1 })}
            disabled={booking.goods.length === 1}
            onClick={() => onChange(booking.goods.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...booking.goods, newLine()])}>
        {t('portal.book.addLine')}
      </button>
    </fieldset>
  );
}
