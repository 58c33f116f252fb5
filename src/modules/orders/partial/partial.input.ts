import { randomUUID } from 'node:crypto';
import { isRecord, onlyOne, recordOr } from '../../../platform/narrow.js';
import { isDocumentAnswer } from '../../documents/index.js';
import { compact, type ConsignmentPlan } from '../orders.mapping.js';
import type { ConsignmentUpdate, GoodUpdate, HandlingUnitUpdate, QuestionAnswers, StopUpdate } from './partial.schemas.js';
import type { ConsignmentInput, GoodInput } from '../orders.schemas.js';

/**
 * The consignment, stop, good and handling-unit levels of a partial order update, applied to the
 * order's consignment plans in memory. Pure: the caller loads the plans and writes the result, so
 * a failure anywhere leaves the stored order untouched.
 */

type Json = Record<string, unknown>;

/** Why an update was not applied; reported in the answer's `errors`. */
export class UpdateFailure extends Error {
  constructor(
    message: string,
    readonly errorType: 'USER_INPUT_ERROR' | 'NOT_SUPPORTED' = 'USER_INPUT_ERROR',
  ) {
    super(message);
  }
}

export interface DocumentAnswers {
  subjectType: 'ORDER' | 'CONSIGNMENT' | 'STOP';
  subjectId: string;
  answers: QuestionAnswers;
}

/** Shallow merge where `custom_fields` merges one level deeper, as integrators expect of a partial update. */
function merge<T extends Json>(target: T, data: object): T {
  const patch: Json = { ...compact(data) };
  const customFields = isRecord(patch.custom_fields) ? { custom_fields: { ...recordOr(target.custom_fields), ...patch.custom_fields } } : {};
  return { ...target, ...patch, ...customFields };
}

const inList = (value: unknown, list: { matches_any: string[] } | null | undefined) => !list || (typeof value === 'string' && list.matches_any.includes(value));

function exactlyOne<T>(candidates: T[], what: string): T {
  const only = onlyOne(candidates);
  if (only !== undefined) return only;
  throw new UpdateFailure(candidates.length === 0 ? `No ${what} matches` : `${candidates.length} ${what}s match; the match must be unique`);
}

function matchConsignments(plans: ConsignmentPlan[], match: ConsignmentUpdate['match']): ConsignmentPlan[] {
  return plans.filter((plan, index) =>
    (match?.matches_all ?? []).every((entry) => {
      const c = entry.consignment;
      if (!c) return true;
      // The contract numbers positions from 1 (its bounded sequence numbers are all > 0) and, like
      // null, reads 0 as "no position given": the deprecated top-level `id` updates send it that way.
      const byPosition = !c.order_sequence_number || c.order_sequence_number === index + 1;
      return byPosition && inList(plan.input.consignment_reference_number, c.reference_number);
    }),
  );
}

function applyStop(targets: ConsignmentPlan[], update: StopUpdate, documents: DocumentAnswers[]) {
  const operation = update.update?.operation;
  if (operation === 'CREATE' || operation === 'DELETE') {
    throw new UpdateFailure('Every consignment has exactly one pickup and one delivery stop: stops can be updated, not created or deleted', 'NOT_SUPPORTED');
  }
  if (!update.match?.matches_all?.length) throw new UpdateFailure('A stop update needs match.matches_all (reference_number and/or stop_type)');
  const stops = targets.flatMap((plan) => [
    { plan, key: 'pickup_stop' as const, type: 'PICKUP', id: plan.pickupStopId },
    { plan, key: 'delivery_stop' as const, type: 'DELIVERY', id: plan.deliveryStopId },
  ]);
  const stop = exactlyOne(
    stops.filter((s) =>
      update.match?.matches_all.every(
        (entry) =>
          !entry.stop ||
          ((!entry.stop.stop_type || entry.stop.stop_type === s.type) && inList(s.plan.input[s.key].reference_number, entry.stop.reference_number)),
      ),
    ),
    'stop',
  );
  if (update.update?.data) stop.plan.input[stop.key] = merge(stop.plan.input[stop.key], update.update.data);
  if (update.question_answers) documents.push({ subjectType: 'STOP', subjectId: stop.id, answers: update.question_answers });
}

/** Answers that are not documents (a barcode scan, a checked box) are kept on the handling unit, newest per question. */
function recordAnswers(unit: Json, answers: QuestionAnswers | undefined): Json {
  if (!answers) return unit;
  for (const [path, answer] of Object.entries(answers)) {
    if (isDocumentAnswer(answer))
      throw new UpdateFailure(`question "${path}": documents attach to orders, consignments and stops, not to handling units`, 'NOT_SUPPORTED');
  }
  return { ...unit, question_answers: { ...recordOr(unit.question_answers), ...answers } };
}

/**
 * A handling-unit update among the units of `goods` (several goods when the good level had no
 * match): CREATE adds to the only good, the other operations need exactly one unit by barcode.
 */
function applyHandlingUnit(goods: GoodInput[], update: HandlingUnitUpdate) {
  const operation = update.update?.operation;
  const data = update.update?.data ?? {};
  if (operation === 'CREATE') {
    const good = exactlyOne(goods, 'good for the new handling unit');
    good.handling_units = [...(good.handling_units ?? []), recordAnswers({ ...compact(data), id: randomUUID() }, update.question_answers)];
    return;
  }
  const units = goods.flatMap((good) => (good.handling_units ?? []).map((unit, index) => ({ good, unit, index })));
  const { good, unit, index } = exactlyOne(
    units.filter(({ unit: u }) => (update.match?.matches_all ?? []).every((e) => inList(recordOr(u.barcode)?.value, e.handling_unit?.barcode))),
    'handling unit',
  );
  const list = [...(good.handling_units ?? [])];
  if (operation === 'DELETE') list.splice(index, 1);
  else if (operation === 'REPLACE') list[index] = recordAnswers({ ...compact(data), id: unit.id }, update.question_answers);
  else list[index] = recordAnswers(operation === 'UPDATE' ? merge(unit, data) : unit, update.question_answers);
  good.handling_units = list;
}

function applyGood(targets: ConsignmentPlan[], update: GoodUpdate) {
  if (update.question_answers) throw new UpdateFailure('Documents attach to orders, consignments and stops, not to goods', 'NOT_SUPPORTED');
  const operation = update.update?.operation;
  const data: GoodInput = update.update?.data ?? {};
  if (operation === 'CREATE') {
    const plan = exactlyOne(targets, 'consignment for the new good');
    plan.input.goods = [...(plan.input.goods ?? []), compact(data)];
    plan.goodIds.push(randomUUID());
    return;
  }
  const goods = targets.flatMap((plan) => (plan.input.goods ?? []).map((good, index) => ({ plan, index, good, id: plan.goodIds[index] })));
  // Without a match the update concerns every good of the targeted consignments, as a consignment
  // update without a match concerns every consignment; replacing or deleting still needs one good.
  const matched = update.match?.matches_all?.length ? goods.filter((g) => update.match?.matches_all.every((e) => inList(g.id, e.good?.id))) : goods;
  if (operation === 'DELETE' || operation === 'REPLACE' || update.match?.matches_all?.length) exactlyOne(matched, 'good');
  const edited = matched.map((target) => {
    const current = target.good;
    if (operation === 'DELETE') return { target, next: undefined };
    const next =
      operation === 'REPLACE'
        ? { ...compact(data), ...(current.handling_units ? { handling_units: current.handling_units } : {}) }
        : operation === 'UPDATE'
          ? merge(current, data)
          : { ...current };
    return { target, next };
  });
  for (const unitUpdate of update.handling_unit?.updates ?? [])
    applyHandlingUnit(
      edited.map((e) => e.next).filter((g): g is GoodInput => g !== undefined),
      unitUpdate,
    );
  // Deleting from the end keeps the indexes of earlier goods valid.
  for (const { target, next } of edited.reverse()) {
    const list = [...(target.plan.input.goods ?? [])];
    if (next) list[target.index] = next;
    else {
      list.splice(target.index, 1);
      target.plan.goodIds.splice(target.index, 1);
    }
    target.plan.input.goods = list;
  }
}

/** Applies one consignment-level update (and everything nested in it) to `plans`, in place. */
export function applyConsignmentUpdate(plans: ConsignmentPlan[], update: ConsignmentUpdate, documents: DocumentAnswers[]): void {
  const operation = update.update?.operation;
  let targets: ConsignmentPlan[];
  if (operation === 'CREATE') {
    const data = (update.update?.data ?? {}) as Partial<ConsignmentInput>;
    if (!data.pickup_stop?.location || !data.delivery_stop?.location)
      throw new UpdateFailure('A new consignment needs a pickup_stop and a delivery_stop, each with a location');
    const input = compact(data) as ConsignmentInput;
    const plan = { id: randomUUID(), input, pickupStopId: randomUUID(), deliveryStopId: randomUUID(), goodIds: (input.goods ?? []).map(() => randomUUID()) };
    plans.push(plan);
    targets = [plan];
  } else {
    targets = update.match?.matches_all?.length ? [exactlyOne(matchConsignments(plans, update.match), 'consignment')] : plans;
    if (operation && targets.length !== 1) throw new UpdateFailure('The order has several consignments: match the one to update or delete');
    const [target] = targets as [ConsignmentPlan];
    if (operation === 'DELETE') {
      if (update.stop?.updates?.length || update.good?.updates?.length) throw new UpdateFailure('A deleted consignment cannot also have stop or good updates');
      plans.splice(plans.indexOf(target), 1);
      return;
    }
    if (operation === 'UPDATE' && update.update?.data) {
      const { pickup_stop: pickup, delivery_stop: delivery, goods, ...fields } = update.update.data;
      const input = merge(target.input, fields);
      if (pickup) input.pickup_stop = merge(target.input.pickup_stop, pickup);
      if (delivery) input.delivery_stop = merge(target.input.delivery_stop, delivery);
      if (goods) {
        input.goods = compact(goods);
        target.goodIds = goods.map(() => randomUUID());
      }
      target.input = input;
    }
  }
  if (update.question_answers) {
    documents.push({ subjectType: 'CONSIGNMENT', subjectId: exactlyOne(targets, 'consignment for the documents').id, answers: update.question_answers });
  }
  for (const stopUpdate of update.stop?.updates ?? []) applyStop(targets, stopUpdate, documents);
  for (const goodUpdate of update.good?.updates ?? []) applyGood(targets, goodUpdate);
}
