import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DataSubject, PersonalDataSection } from '@app/core';
import { AppointmentSeries } from '@app/database';

/**
 * Recurring series the subject booked or gives; their occurrences are in the appointments
 * section. Nothing in a series row itself is personal beyond whose it is: erasure keeps it
 * (like the appointments), pointing at the anonymized account.
 */
@Injectable()
export class SeriesDataSection implements PersonalDataSection {
  readonly name = 'series';

  async export(manager: EntityManager, subject: DataSubject) {
    const series = await manager.find(AppointmentSeries, {
      where: [{ patientId: subject.id }, { doctorId: subject.id }],
      order: { createdAt: 'ASC' },
    });
    return {
      data: series.map((s) => ({
        id: s.id,
        doctorId: s.doctorId,
        patientId: s.patientId,
        visitTypeId: s.visitTypeId,
        repeat: { every: s.repeatEvery, unit: s.repeatUnit },
        count: s.count,
        createdAt: s.createdAt,
      })),
      recordIds: series.map((s) => s.id),
    };
  }
}
