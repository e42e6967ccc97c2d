import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { formatMoney } from '@app/common';
import type { DataSubject, PersonalDataSection } from '@app/core';
import { AvailabilityRule, DoctorProfile, TimeOff, UserRole, VisitType } from '@app/database';

/**
 * A doctor's practice: public profile, visit types, weekly hours, time off. An erasure
 * clears the bio and the time-off reasons and takes the doctor out of the directory.
 */
@Injectable()
export class PracticeDataSection implements PersonalDataSection {
  readonly name = 'practice';

  async export(manager: EntityManager, subject: DataSubject) {
    if (subject.role !== UserRole.Doctor) return { data: null };
    const [profile, visitTypes, rules, timeOff] = await Promise.all([
      manager.findOne(DoctorProfile, {
        where: { userId: subject.id },
        relations: { specialties: true },
      }),
      manager.find(VisitType, { where: { doctorId: subject.id }, order: { position: 'ASC' } }),
      manager.find(AvailabilityRule, { where: { doctorId: subject.id } }),
      manager.find(TimeOff, { where: { doctorId: subject.id }, order: { startsAt: 'ASC' } }),
    ]);
    return {
      data: {
        profile: profile && {
          bio: profile.bio,
          consultationFee: formatMoney({
            minor: profile.feeMinor,
            currency: profile.currency.trim(),
          }),
          slotDurationMinutes: profile.slotDurationMinutes,
          timezone: profile.timezone,
          active: profile.active,
          specialties: (profile.specialties ?? []).map((s) => ({ id: s.id, name: s.name })),
        },
        visitTypes: visitTypes.map((t) => ({
          id: t.id,
          name: t.name,
          durationMinutes: t.durationMinutes,
          price: formatMoney({ minor: t.priceMinor, currency: t.currency.trim() }),
          mode: t.mode,
          active: t.active,
        })),
        availability: rules.map((r) => ({
          dayOfWeek: r.dayOfWeek,
          startTime: r.startTime,
          endTime: r.endTime,
        })),
        timeOff: timeOff.map((t) => ({
          id: t.id,
          startsAt: t.startsAt,
          endsAt: t.endsAt,
          reason: t.reason,
        })),
      },
    };
  }

  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    if (subject.role !== UserRole.Doctor) return;
    await manager.update(DoctorProfile, { userId: subject.id }, { bio: '', active: false });
    await manager.update(TimeOff, { doctorId: subject.id }, { reason: null });
  }
}
