import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FieldError, MoneyDto, parseMoney, ValidationError } from '@app/common';
import { VisitMode, VisitType } from '@app/database';
import { SlotService } from '../slots/slot.service';
import { normalizeQuestion, questionErrors, QuestionInput } from './intake';
import { LastVisitTypeError, VisitTypeNotFoundError } from './visit-type.errors';
import { toVisitTypeView, VisitTypeView } from './visit-type-view';

export interface VisitTypeInput {
  name?: string;
  description?: string | null;
  durationMinutes?: number;
  price?: MoneyDto;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  mode?: VisitMode;
  location?: string | null;
  requiresApproval?: boolean;
  approvalDeadlineHours?: number;
  changeCutoffHours?: number;
  questions?: QuestionInput[];
  position?: number;
  active?: boolean;
}

const MAX_PRICE_MINOR = 2_147_483_647;

/** "The first active type": lowest position, then the oldest. */
export const VISIT_TYPE_ORDER = { position: 'ASC', createdAt: 'ASC', id: 'ASC' } as const;

/** A doctor's visit types: only ever the caller's rows; every doctor keeps one active. */
@Injectable()
export class VisitTypesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly slots: SlotService,
  ) {}

  /** Active types of a listed doctor, in booking order; 404 for anyone else. */
  async listPublic(doctorId: string): Promise<VisitTypeView[]> {
    await this.slots.getDoctorForBooking(doctorId);
    // SPEC §6: the public list is by position, then name (booking order breaks ties by age).
    const types = await this.db.getRepository(VisitType).find({
      where: { doctorId, active: true },
      order: { position: 'ASC', name: 'ASC', createdAt: 'ASC', id: 'ASC' },
    });
    return types.map(toVisitTypeView);
  }

  /** All of the doctor's own types, archived ones last. */
  async listOwn(doctorId: string): Promise<VisitTypeView[]> {
    const types = await this.db
      .getRepository(VisitType)
      .find({ where: { doctorId }, order: { active: 'DESC', ...VISIT_TYPE_ORDER } });
    return types.map(toVisitTypeView);
  }

  /** One of the doctor's own types, archived or not; 404 for anyone else's. */
  async getOwn(doctorId: string, id: string): Promise<VisitTypeView> {
    const type = await this.db.getRepository(VisitType).findOne({ where: { id, doctorId } });
    if (!type) throw new VisitTypeNotFoundError();
    return toVisitTypeView(type);
  }

  async create(doctorId: string, input: VisitTypeInput): Promise<VisitTypeView> {
    const changes = visitTypeChanges(input, true);
    return this.db.transaction(async (manager) => {
      await lockVisitTypes(manager, doctorId);
      let position = changes.position;
      if (position === undefined) {
        const [{ next }] = await manager.query(
          'SELECT COALESCE(MAX(position) + 1, 0)::int AS next FROM visit_types WHERE doctor_id = $1',
          [doctorId],
        );
        position = next as number;
      }
      const repo = manager.getRepository(VisitType);
      const type = repo.create({ ...changes, doctorId, position, active: changes.active ?? true });
      await repo.insert(type);
      return toVisitTypeView(await repo.findOneByOrFail({ id: type.id }));
    });
  }

  async update(doctorId: string, id: string, input: VisitTypeInput): Promise<VisitTypeView> {
    const changes = visitTypeChanges(input, false);
    return this.db.transaction(async (manager) => {
      const types = await lockVisitTypes(manager, doctorId);
      const type = types.find((candidate) => candidate.id === id);
      if (!type) throw new VisitTypeNotFoundError();
      if (changes.active === false && type.active) assertNotLast(types, id);
      // A location belongs to in-person visits only; switching to video or phone drops it.
      if ((changes.mode ?? type.mode) !== VisitMode.InPerson) {
        if (changes.location)
          throw ValidationError.field('location', 'location is for in_person visits only');
        changes.location = null;
      }
      await manager.getRepository(VisitType).update({ id }, changes);
      return toVisitTypeView(await manager.getRepository(VisitType).findOneByOrFail({ id }));
    });
  }

  /** Archives a type: booked appointments keep it, new bookings cannot pick it. */
  async archive(doctorId: string, id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const types = await lockVisitTypes(manager, doctorId);
      const type = types.find((candidate) => candidate.id === id);
      if (!type) throw new VisitTypeNotFoundError();
      if (!type.active) return;
      assertNotLast(types, id);
      await manager.getRepository(VisitType).update({ id }, { active: false });
    });
  }
}

/** The doctor's types, row-locked: archiving the last two at once cannot leave none. */
async function lockVisitTypes(manager: EntityManager, doctorId: string): Promise<VisitType[]> {
  return manager.getRepository(VisitType).find({
    where: { doctorId },
    order: VISIT_TYPE_ORDER,
    lock: { mode: 'pessimistic_write' },
  });
}

function assertNotLast(types: VisitType[], id: string): void {
  if (!types.some((type) => type.active && type.id !== id)) throw new LastVisitTypeError();
}

function visitTypeChanges(input: VisitTypeInput, creating: boolean): Partial<VisitType> {
  const changes: Partial<VisitType> = {};
  const errors: FieldError[] = [];
  if (creating) {
    for (const field of ['name', 'durationMinutes', 'price'] as const) {
      if (input[field] === undefined) errors.push({ field, message: `${field} is required` });
    }
  }
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 80)
      errors.push({ field: 'name', message: 'name must be 1 to 80 characters' });
    changes.name = name;
  }
  if (input.description !== undefined) changes.description = input.description?.trim() || null;
  if (input.price !== undefined) {
    try {
      const price = parseMoney(input.price);
      if (price.minor > MAX_PRICE_MINOR) throw new RangeError('amount is too large');
      changes.priceMinor = price.minor;
      changes.currency = price.currency;
    } catch (error) {
      errors.push({ field: 'price', message: (error as Error).message });
    }
  }
  const copied = [
    'durationMinutes',
    'bufferBeforeMinutes',
    'bufferAfterMinutes',
    'mode',
    'requiresApproval',
    'approvalDeadlineHours',
    'changeCutoffHours',
    'position',
    'active',
  ] as const;
  for (const field of copied) {
    if (input[field] !== undefined) Object.assign(changes, { [field]: input[field] });
  }
  if (input.location !== undefined) changes.location = input.location?.trim() || null;
  if (input.location && (input.mode ?? VisitMode.InPerson) !== VisitMode.InPerson)
    errors.push({ field: 'location', message: 'location is for in_person visits only' });
  if (input.questions !== undefined) {
    errors.push(...questionErrors(input.questions));
    changes.questions = input.questions.map(normalizeQuestion);
  }
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
  return changes;
}
