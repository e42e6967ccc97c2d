import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { FieldError, isUuid, MoneyDto, parseMoney, ValidationError } from '@app/common';
import { DoctorProfile, Specialty, VisitType } from '@app/database';
import { VISIT_TYPE_ORDER } from '../visit-types/visit-types.service';
import { DoctorNotFoundError } from '../scheduling.errors';
import { isValidTimeZone } from '../slots/local-time';
import { DoctorDirectoryService } from './doctor-directory.service';
import { PublicDoctor } from './doctor-view';

export interface UpdateDoctorProfileInput {
  bio?: string;
  specialtyIds?: string[];
  consultationFee?: MoneyDto;
  slotDurationMinutes?: number;
  timezone?: string;
}

const MAX_FEE_MINOR = 2_147_483_647;

/** A doctor edits their own profile: only ever the caller's row. */
@Injectable()
export class DoctorProfileService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: DoctorDirectoryService,
  ) {}

  async update(doctorId: string, input: UpdateDoctorProfileInput): Promise<PublicDoctor> {
    const changes = profileChanges(input);
    await this.db.transaction(async (manager) => {
      const profile = await manager.getRepository(DoctorProfile).findOne({
        where: { userId: doctorId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!profile) throw new DoctorNotFoundError();
      if (Object.keys(changes).length > 0)
        await manager.update(DoctorProfile, { userId: doctorId }, changes);
      await updateDefaultVisitType(manager, doctorId, changes);
      if (input.specialtyIds) await replaceSpecialties(manager, doctorId, input.specialtyIds);
    });
    return this.directory.own(doctorId);
  }
}

function profileChanges(input: UpdateDoctorProfileInput): Partial<DoctorProfile> {
  const changes: Partial<DoctorProfile> = {};
  const errors: FieldError[] = [];
  if (input.bio !== undefined) changes.bio = input.bio.trim();
  if (input.consultationFee !== undefined) {
    try {
      const fee = parseMoney(input.consultationFee);
      if (fee.minor > MAX_FEE_MINOR) throw new RangeError('amount is too large');
      changes.feeMinor = fee.minor;
      changes.currency = fee.currency;
    } catch (error) {
      errors.push({ field: 'consultationFee', message: (error as Error).message });
    }
  }
  if (input.slotDurationMinutes !== undefined) {
    const minutes = input.slotDurationMinutes;
    if (Number.isInteger(minutes) && minutes >= 5 && minutes <= 240)
      changes.slotDurationMinutes = minutes;
    else
      errors.push({
        field: 'slotDurationMinutes',
        message: 'slotDurationMinutes must be an integer from 5 to 240',
      });
  }
  if (input.timezone !== undefined) {
    if (isValidTimeZone(input.timezone)) changes.timezone = input.timezone;
    else
      errors.push({
        field: 'timezone',
        message: 'timezone must be an IANA time zone such as Europe/Berlin',
      });
  }
  if (errors.length > 0) throw new ValidationError(errors.map((e) => e.message).join('; '), errors);
  return changes;
}

/**
 * Release-1 fields keep meaning what a release-1 client books: the fee and the slot length
 * are those of the first active visit type.
 */
async function updateDefaultVisitType(
  manager: EntityManager,
  doctorId: string,
  changes: Partial<DoctorProfile>,
): Promise<void> {
  const patch: Partial<VisitType> = {};
  if (changes.feeMinor !== undefined) {
    patch.priceMinor = changes.feeMinor;
    patch.currency = changes.currency;
  }
  if (changes.slotDurationMinutes !== undefined)
    patch.durationMinutes = changes.slotDurationMinutes;
  if (Object.keys(patch).length === 0) return;
  const first = await manager.getRepository(VisitType).findOne({
    select: { id: true },
    where: { doctorId, active: true },
    order: VISIT_TYPE_ORDER,
  });
  if (first) await manager.update(VisitType, { id: first.id }, patch);
}

async function replaceSpecialties(
  manager: EntityManager,
  doctorId: string,
  specialtyIds: string[],
): Promise<void> {
  const wanted = [...new Set(specialtyIds.map((id) => id.toLowerCase()))];
  const valid = wanted.filter(isUuid);
  const found = valid.length
    ? await manager.find(Specialty, { select: { id: true }, where: { id: In(valid) } })
    : [];
  const unknown = wanted.filter((id) => !found.some((specialty) => specialty.id === id));
  if (unknown.length > 0) {
    throw ValidationError.field('specialtyIds', `unknown specialty id(s): ${unknown.join(', ')}`);
  }
  const relation = manager.createQueryBuilder().relation(DoctorProfile, 'specialties').of(doctorId);
  const current = (await relation.loadMany<Specialty>()).map((specialty) => specialty.id);
  await relation.addAndRemove(
    wanted.filter((id) => !current.includes(id)),
    current.filter((id) => !wanted.includes(id)),
  );
}
