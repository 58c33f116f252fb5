import type { components } from '../../api/openapi';
import type { ErrorDetail } from '../../api/errors';

type Schemas = components['schemas'];
export type TemplateBody = Schemas['OrderTemplateBody'];
export type OrderTemplate = Schemas['OrderTemplate'];
export type SavedLocation = Schemas['SavedLocation'];
type Consignment = Schemas['OrderConsignmentInput'];
type StopInput = Consignment['pickup_stop'];

/** One stop as the form holds it: every field a string, empty when not given. */
export interface StopFields {
  name: string;
  address: string;
  postal_code: string;
  city: string;
  country: string;
  date: string;
  start_time: string;
  end_time: string;
  reference_number: string;
  note: string;
}

export interface GoodsLine {
  /** A key for React only: lines are added and removed. */
  key: number;
  description: string;
  quantity: string;
  weight: string;
}

export interface Booking {
  order_identifier: string;
  customer_reference_number: string;
  order_status: 'TO_PLAN' | 'QUOTE';
  planning_instructions: string;
  pickup: StopFields;
  delivery: StopFields;
  goods: GoodsLine[];
  /** The template's consignments after the first, sent as they are (the form edits the first). */
  otherConsignments: Consignment[];
}

const emptyStop = (): StopFields => ({
  name: '',
  address: '',
  postal_code: '',
  city: '',
  country: '',
  date: '',
  start_time: '',
  end_time: '',
  reference_number: '',
  note: '',
});

/** A saved location's place in a stop: its five fields replace the typed ones; date, times and notes stay. */
export const withLocation = (stop: StopFields, location: SavedLocation): StopFields => ({
  ...stop,
  name: location.name ?? '',
  address: location.address ?? '',
  postal_code: location.postal_code ?? '',
  city: location.city ?? '',
  country: location.country ?? '',
});

let lineKeys = 0;
export const newLine = (): GoodsLine => ({ key: ++lineKeys, description: '', quantity: '', weight: '' });

export const emptyBooking = (): Booking => ({
  order_identifier: '',
  customer_reference_number: '',
  order_status: 'TO_PLAN',
  planning_instructions: '',
  pickup: emptyStop(),
  delivery: emptyStop(),
  goods: [newLine()],
  otherConsignments: [],
});

/** Empty text is left out, so the API applies its own defaults and rules. */
const given = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/**
 * A number typed in the form: sent as a number when it is one, else as typed, so the API's own
 * message ("must be integer") reaches the field instead of the form guessing.
 */
function numberOf(value: string): number | undefined {
  const text = given(value);
  if (text === undefined) return undefined;
  const number = Number(text.replace(',', '.'));
  return (Number.isFinite(number) ? number : text) as number;
}

function stopInput(stop: StopFields): StopInput {
  const window = given(stop.start_time) || given(stop.end_time) ? { start_time: given(stop.start_time), end_time: given(stop.end_time) } : undefined;
  return {
    location: {
      name: given(stop.name),
      address: given(stop.address),
      postal_code: given(stop.postal_code),
      city: given(stop.city),
      country: given(stop.country),
    },
    date: given(stop.date),
    time_window: window,
    reference_number: given(stop.reference_number),
    note: given(stop.note),
  };
}

/** The form → the order's contents, as a template keeps them and the upload takes them. */
export function bodyOf(booking: Booking): TemplateBody {
  const first: Consignment = {
    pickup_stop: stopInput(booking.pickup),
    delivery_stop: stopInput(booking.delivery),
    goods: booking.goods
      .filter((line) => given(line.description) || given(line.quantity) || given(line.weight))
      .map((line) => ({ description: given(line.description), quantity: numberOf(line.quantity), total_weight_kg: numberOf(line.weight) })),
  };
  return {
    order_status: booking.order_status,
    customer_reference_number: given(booking.customer_reference_number),
    planning_instructions: given(booking.planning_instructions),
    consignments: [first, ...booking.otherConsignments],
  };
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function stopFields(stop: StopInput | undefined): StopFields {
  if (!stop) return emptyStop();
  const location = stop.location ?? {};
  return {
    name: text(location.name),
    address: text(location.address),
    postal_code: text(location.postal_code),
    city: text(location.city),
    country: text(location.country),
    date: text(stop.date),
    start_time: text(stop.time_window?.start_time).slice(0, 5),
    end_time: text(stop.time_window?.end_time).slice(0, 5),
    reference_number: text(stop.reference_number),
    note: text(stop.note),
  };
}

/** A template → the form (its first consignment in the fields; the others kept aside). The order number stays empty: each order has its own. */
export function bookingOf(body: TemplateBody): Booking {
  const [first, ...others] = body.consignments;
  const goods = (first?.goods ?? []).map((good) => ({
    ...newLine(),
    description: text(good.description),
    quantity: text(good.quantity),
    weight: text(good.total_weight_kg),
  }));
  return {
    order_identifier: '',
    customer_reference_number: text(body.customer_reference_number),
    order_status: body.order_status === 'QUOTE' ? 'QUOTE' : 'TO_PLAN',
    planning_instructions: text(body.planning_instructions),
    pickup: stopFields(first?.pickup_stop),
    delivery: stopFields(first?.delivery_stop),
    goods: goods.length ? goods : [newLine()],
    otherConsignments: others,
  };
}

/** The form's field names, as the API's error paths name them (relative to the order's body). */
export const FIELD_PATHS = {
  stop: (which: 'pickup' | 'delivery', field: keyof StopFields) => {
    const base = `consignments.0.${which}_stop`;
    if (field === 'date' || field === 'reference_number' || field === 'note') return `${base}.${field}`;
    if (field === 'start_time' || field === 'end_time') return `${base}.time_window.${field}`;
    return `${base}.location.${field}`;
  },
  good: (index: number, field: 'description' | 'quantity' | 'weight') => `consignments.0.goods.${index}.${field === 'weight' ? 'total_weight_kg' : field}`,
};

/**
 * The API's error details by the form field they name: `body.consignments.0.pickup_stop.date`
 * (an upload) or `body.order.…` (a template) → `consignments.0.pickup_stop.date`. Details that
 * name no field of the form are left for the message above it.
 */
export function errorsByPath(errors: ErrorDetail[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    if (!error.path) continue;
    const path = error.path.replace(/^body\.(order\.)?/, '');
    byPath.set(path, [...(byPath.get(path) ?? []), error.message]);
  }
  return byPath;
}

const FORM_FIELD =
  /^(order_identifier|customer_reference_number|order_status|planning_instructions|name|consignments\.0\.(pickup|delivery)_stop\.(date|reference_number|note|time_window\.(start|end)_time|location\.(name|address|postal_code|city|country))|consignments\.0\.goods\.\d+\.(description|quantity|total_weight_kg))$/;

/** Whether the form has a field for this error path (the others are listed above the form's buttons). */
export const shownInForm = (path: string): boolean => FORM_FIELD.test(path);
