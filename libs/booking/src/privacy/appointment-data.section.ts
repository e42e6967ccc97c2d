import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import { formatMoney } from '@app/common';
import { type DataSubject, ERASED_VALUE, type PersonalDataSection } from '@app/core';
import { Appointment, AppointmentStatusChange, UserRole } from '@app/database';

/**
 * Appointments the subject booked (with their reasons and intake answers) or, for a doctor,
 * held (without the patients' health data: that is the patients' to export). An erasure
 * keeps every appointment for the doctor's records and replaces what the patient wrote.
 */
@Injectable()
export class AppointmentDataSection implements PersonalDataSection {
  readonly name = 'appointments';

  async export(manager: EntityManager, subject: DataSubject) {
    const appointments = await manager.find(Appointment, {
      where: [{ patientId: subject.id }, { doctorId: subject.id }],
      relations: { visitType: true },
      order: { startsAt: 'ASC' },
    });
    const history = await manager.find(AppointmentStatusChange, {
      where: { appointmentId: In(appointments.map((a) => a.id)) },
      order: { at: 'ASC' },
    });
    return {
      data: appointments.map((a) => {
        const own = a.patientId === subject.id;
        return {
          id: a.id,
          role: own ? UserRole.Patient : UserRole.Doctor,
          doctorId: a.doctorId,
          patientId: a.patientId,
          startsAt: a.startsAt,
          endsAt: a.endsAt,
          status: a.status,
          visitType: a.visitType ? { id: a.visitType.id, name: a.visitType.name } : null,
          seriesId: a.seriesId,
          fee: formatMoney({ minor: a.feeMinor, currency: a.currency.trim() }),
          reason: own ? a.reason : null,
          answers: own ? (a.answers ?? []) : [],
          cancelledAt: a.cancelledAt,
          cancelledBy: a.cancelledBy,
          cancellationReason: a.cancellationReason,
          declinedAt: a.declinedAt,
          declineReason: a.declineReason,
          rescheduledFromId: a.rescheduledFromId,
          createdAt: a.createdAt,
          history: history
            .filter((h) => h.appointmentId === a.id)
            .map((h) => ({
              fromStatus: h.fromStatus,
              toStatus: h.toStatus,
              actorId: h.actorId,
              reason: h.reason,
              at: h.at,
            })),
        };
      }),
      recordIds: appointments.map((a) => a.id),
    };
  }

  /** What the patient wrote goes; the appointment, its times, fee and status stay. */
  async erase(manager: EntityManager, subject: DataSubject): Promise<void> {
    if (subject.role !== UserRole.Patient) return;
    await manager.query(
      `UPDATE appointments SET
         reason = NULL,
         answers = CASE WHEN jsonb_typeof(answers) = 'array' AND jsonb_array_length(answers) > 0
           THEN (SELECT jsonb_agg(jsonb_build_object('key', a->'key', 'label', a->'label', 'value', $2::text))
                   FROM jsonb_array_elements(answers) a)
           ELSE answers END,
         cancellation_reason = CASE WHEN cancelled_by = $1 THEN NULL ELSE cancellation_reason END
       WHERE patient_id = $1`,
      [subject.id, ERASED_VALUE],
    );
    await manager.query(
      `UPDATE appointment_status_history SET reason = NULL
        WHERE actor_id = $1 AND appointment_id IN (SELECT id FROM appointments WHERE patient_id = $1)`,
      [subject.id],
    );
  }
}
