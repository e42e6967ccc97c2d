import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DataSubject, PersonalDataSection } from '@app/core';
import { WaitlistEntry } from '@app/database';

/** Waitlist entries: a patient's own are exported and, on erasure, deleted (nobody waits). */
@Injectable()
export class WaitlistDataSection implements PersonalDataSection {
  readonly name = 'waitlist';

  async export(manager: EntityManager, subject: DataSubject) {
    const entries = await manager.find(WaitlistEntry, {
      where: { patientId: subject.id },
      order: { createdAt: 'ASC' },
    });
    return {
      data: entries.map((e) => ({
        id: e.id,
        doctorId: e.doctorId,
        from: e.fromDate,
        to: e.toDate,
        active: e.active,
        lastNotifiedAt: e.lastNotifiedAt,
        createdAt: e.createdAt,
      })),
    };
  }

  /** An erased doctor's waitlists end too: their patients' entries stop waiting. */
  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    await manager.delete(WaitlistEntry, { patientId: subject.id });
    await manager.update(WaitlistEntry, { doctorId: subject.id, active: true }, { active: false });
  }
}
