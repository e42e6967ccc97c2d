import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  And,
  DataSource,
  EntityManager,
  FindOptionsWhere,
  LessThan,
  MoreThanOrEqual,
} from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Appointment, AppointmentStatus, LIVE_APPOINTMENT_STATUSES, UserRole } from '@app/database';
import { visibleTo } from './appointment-scope';
import { statusesThrough } from './appointment-status';
import { AppointmentNotFoundError } from './booking.errors';

export interface AppointmentFilter {
  status?: AppointmentStatus;
  /** Narrows what the caller may see to one patient's (FHIR `patient=`). */
  patientId?: string;
  from?: Date;
  to?: Date;
  page: number;
  limit: number;
}

/** Active patients with a live appointment starting in [from, to), of one doctor or any. */
export interface LivePatientsFilter {
  doctorId?: string;
  from: Date;
  to?: Date;
  /** Never one of them (the sender of a message). */
  exceptId?: string;
}

const WITH_PEOPLE = { doctor: true, patient: true, visitType: true } as const;

// Walks rescheduled_from_id back to the booking the patient first made.
const RESCHEDULE_CHAIN_SQL = `
  WITH RECURSIVE chain AS (
    SELECT id, rescheduled_from_id, starts_at, 0 AS depth FROM appointments WHERE id = $1
    UNION ALL
    SELECT a.id, a.rescheduled_from_id, a.starts_at, chain.depth + 1
      FROM appointments a JOIN chain ON a.id = chain.rescheduled_from_id
  )
  SELECT id, starts_at AS "startsAt" FROM chain ORDER BY depth DESC`;

/** One appointment of a reschedule chain. */
export interface ChainLink {
  id: string;
  startsAt: Date;
}

/**
 * The reschedule chain that ends at `appointmentId`, first appointment first (just the
 * appointment itself when it was never rescheduled; empty when it does not exist).
 */
export function rescheduleChain(
  db: DataSource | EntityManager,
  appointmentId: string,
): Promise<ChainLink[]> {
  return db.query(RESCHEDULE_CHAIN_SQL, [appointmentId]);
}

// Every status change of the chain's earlier appointments, and of its last one those up to
// its arrival at $2 (with $2 NULL: only its creation).
const CALENDAR_SEQUENCE_SQL = `
  WITH RECURSIVE chain AS (
    SELECT id, rescheduled_from_id FROM appointments WHERE id = $1
    UNION ALL
    SELECT a.id, a.rescheduled_from_id
      FROM appointments a JOIN chain ON a.id = chain.rescheduled_from_id
  )
  SELECT count(*)::int AS n
    FROM appointment_status_history h JOIN chain ON chain.id = h.appointment_id
   WHERE h.appointment_id <> $1
      OR ($2::appointment_status[] IS NULL AND h.from_status IS NULL)
      OR h.to_status = ANY($2::appointment_status[])`;

/**
 * An invitation's SEQUENCE (RFC 5545): the status changes of the reschedule chain ending at
 * `appointmentId` until it reached `through` (`null`: until it was created by a reschedule).
 * Counted from the history rather than a clock, it grows with every change however fast
 * they come, and a message planned late never counts changes made after its own.
 */
export async function calendarSequence(
  db: DataSource | EntityManager,
  appointmentId: string,
  through: AppointmentStatus | null,
): Promise<number> {
  const [row]: { n: number }[] = await db.query(CALENDAR_SEQUENCE_SQL, [
    appointmentId,
    through === null ? null : statusesThrough(through),
  ]);
  return row.n;
}

const LIVE_PATIENTS = `
    FROM appointments a
    JOIN users p ON p.id = a.patient_id AND p.deactivated_at IS NULL
   WHERE ($1::uuid IS NULL OR a.doctor_id = $1)
     AND a.status = ANY($2::appointment_status[])
     AND a.starts_at >= $3
     AND ($4::timestamptz IS NULL OR a.starts_at < $4)
     AND ($5::uuid IS NULL OR a.patient_id <> $5)`;
const COUNT_LIVE_PATIENTS_SQL = `SELECT count(DISTINCT a.patient_id)::int AS n ${LIVE_PATIENTS}`;
const LIVE_PATIENT_IDS_SQL = `SELECT DISTINCT a.patient_id AS id ${LIVE_PATIENTS}
     AND ($6::uuid IS NULL OR a.patient_id > $6)
   ORDER BY a.patient_id LIMIT $7`;

@Injectable()
export class AppointmentQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // find() rather than findOne(): with relations, findOne's LIMIT makes TypeORM run an
  // extra DISTINCT query first; an id matches one row anyway.
  async get(actor: AuthUser, id: string): Promise<Appointment> {
    const [appointment] = await this.db.getRepository(Appointment).find({
      where: visibleTo(actor, { id }),
      relations: WITH_PEOPLE,
    });
    if (!appointment) throw new AppointmentNotFoundError();
    return appointment;
  }

  /** Loads an appointment the caller just changed, with the people it shows. */
  async reload(id: string): Promise<Appointment> {
    const [appointment] = await this.db
      .getRepository(Appointment)
      .find({ where: { id }, relations: WITH_PEOPLE });
    if (!appointment) throw new AppointmentNotFoundError();
    return appointment;
  }

  /** An appointment by id, unscoped and without its people (the worker's messages). */
  find(id: string): Promise<Appointment | null> {
    return this.db
      .getRepository(Appointment)
      .findOne({ where: { id }, relations: { visitType: true } });
  }

  async list(actor: AuthUser, filter: AppointmentFilter): Promise<[Appointment[], number]> {
    const where: FindOptionsWhere<Appointment> = {};
    if (filter.status) where.status = filter.status;
    if (filter.patientId) {
      // visibleTo would replace another patient's id with the caller's own.
      if (actor.role === UserRole.Patient && filter.patientId !== actor.id) return [[], 0];
      where.patientId = filter.patientId;
    }
    if (filter.from && filter.to)
      where.startsAt = And(MoreThanOrEqual(filter.from), LessThan(filter.to));
    else if (filter.from) where.startsAt = MoreThanOrEqual(filter.from);
    else if (filter.to) where.startsAt = LessThan(filter.to);
    return this.db.getRepository(Appointment).findAndCount({
      where: visibleTo(actor, where),
      relations: WITH_PEOPLE,
      order: { startsAt: 'ASC', id: 'ASC' },
      skip: (filter.page - 1) * filter.limit,
      take: filter.limit,
    });
  }

  async countLivePatients(filter: LivePatientsFilter): Promise<number> {
    const [row]: { n: number }[] = await this.db.query(
      COUNT_LIVE_PATIENTS_SQL,
      livePatientsParams(filter),
    );
    return row.n;
  }

  /** One page of their ids in id order, after `after`: consecutive pages never overlap. */
  async livePatientIds(
    filter: LivePatientsFilter,
    page: { after: string | null; limit: number },
  ): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(LIVE_PATIENT_IDS_SQL, [
      ...livePatientsParams(filter),
      page.after,
      page.limit,
    ]);
    return rows.map((row) => row.id);
  }
}

function livePatientsParams(filter: LivePatientsFilter): unknown[] {
  return [
    filter.doctorId ?? null,
    [...LIVE_APPOINTMENT_STATUSES],
    filter.from,
    filter.to ?? null,
    filter.exceptId ?? null,
  ];
}

// calendarSequence's count for many appointments at once, each through its current status:
// every status change of its reschedule chain so far.
const CALENDAR_SEQUENCES_SQL = `
  WITH RECURSIVE chain AS (
    SELECT id AS leaf, id, rescheduled_from_id FROM appointments WHERE id = ANY($1::uuid[])
    UNION ALL
    SELECT chain.leaf, a.id, a.rescheduled_from_id
      FROM appointments a JOIN chain ON a.id = chain.rescheduled_from_id
  )
  SELECT chain.leaf AS id, count(*)::int AS n
    FROM appointment_status_history h JOIN chain ON chain.id = h.appointment_id
   GROUP BY chain.leaf`;

/**
 * `calendarSequence(id, currentStatus)` of each appointment in one query (a calendar feed's
 * SEQUENCE): it grows with every status change, here or earlier in the reschedule chain.
 */
export async function calendarSequences(
  db: DataSource | EntityManager,
  appointmentIds: string[],
): Promise<Map<string, number>> {
  if (appointmentIds.length === 0) return new Map();
  const rows: { id: string; n: number }[] = await db.query(CALENDAR_SEQUENCES_SQL, [
    appointmentIds,
  ]);
  return new Map(rows.map((row) => [row.id, row.n]));
}
