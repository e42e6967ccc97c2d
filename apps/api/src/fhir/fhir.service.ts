import { Injectable } from '@nestjs/common';
import type {
  Appointment,
  Bundle,
  CapabilityStatement,
  Patient,
  Practitioner,
  Schedule,
  Slot,
} from '@medplum/fhirtypes';
import type { AuthUser } from '@app/auth';
import {
  AppointmentQueries,
  BookAppointment,
  DoctorDirectoryService,
  DoctorNotFoundError,
  NotASlotError,
  PatientQueries,
  PublicDoctor,
  SlotService,
} from '@app/booking';
import { ValidationError } from '@app/common';
import type { AuditContext } from '@app/core';
import { UserRole } from '@app/database';
import { pageOf, searchset } from './bundle';
import { capabilityStatement } from './capability-statement';
import { answersFor, readBooking } from './fhir-booking';
import { toFhirAppointment, toPatient, toPractitioner, toSchedule, toSlot } from './fhir-mapping';
import type { FhirRequestContext } from './fhir-request.decorator';
import {
  AppointmentSearchDto,
  dateRange,
  PractitionerSearchDto,
  referencedId,
  ScheduleSearchDto,
  SlotSearchDto,
} from './fhir-search.dto';

const DAY_MS = 86_400_000;
/** SPEC §6, as for GET /doctors/:id/slots. */
const MAX_SLOT_RANGE_DAYS = 31;
const SOFTWARE_VERSION = '1.0.0';

/**
 * The FHIR R4 facade: the same use cases and queries as /api/v1 (so the same ownership,
 * constraints and errors), mapped to FHIR resources (fhir-mapping.ts, docs/fhir.md).
 */
@Injectable()
export class FhirService {
  constructor(
    private readonly directory: DoctorDirectoryService,
    private readonly slots: SlotService,
    private readonly appointments: AppointmentQueries,
    private readonly patients: PatientQueries,
    private readonly booking: BookAppointment,
  ) {}

  capabilities(ctx: FhirRequestContext): CapabilityStatement {
    return capabilityStatement(ctx.base, SOFTWARE_VERSION);
  }

  async practitioner(id: string): Promise<Practitioner> {
    return toPractitioner(await this.directory.get(id));
  }

  async searchPractitioners(
    query: PractitionerSearchDto,
    ctx: FhirRequestContext,
  ): Promise<Bundle<Practitioner>> {
    const found = await this.directory.search({
      q: query.name,
      page: query._page,
      limit: query._count,
    });
    return searchset(
      { ...this.page(query, ctx, found.total), resources: found.items.map(toPractitioner) },
      ctx.base,
    );
  }

  async searchSchedules(
    query: ScheduleSearchDto,
    ctx: FhirRequestContext,
  ): Promise<Bundle<Schedule>> {
    const doctor = await this.listedDoctor(referencedId(query.actor));
    const schedules = doctor ? doctor.visitTypes.map((type) => toSchedule(doctor, type)) : [];
    return searchset(
      {
        ...this.page(query, ctx, schedules.length),
        resources: pageOf(schedules, query._page, query._count),
      },
      ctx.base,
    );
  }

  async searchSlots(query: SlotSearchDto, ctx: FhirRequestContext): Promise<Bundle<Slot>> {
    const { from, to } = dateRange('start', query.start);
    if (!from || !to)
      throw ValidationError.field(
        'start',
        'start needs a lower (ge, gt) and an upper (lt, le) bound',
      );
    if (to <= from) throw ValidationError.field('start', 'the upper bound must be after the lower');
    if (to.getTime() - from.getTime() > MAX_SLOT_RANGE_DAYS * DAY_MS)
      throw ValidationError.field(
        'start',
        `the range may cover at most ${MAX_SLOT_RANGE_DAYS} days`,
      );
    const found = await this.slots.freeSlotsOfType(referencedId(query.schedule), from, to);
    const slots = found ? found.slots.map((slot) => toSlot(found.visitType.id, slot)) : [];
    return searchset(
      {
        ...this.page(query, ctx, slots.length),
        resources: pageOf(slots, query._page, query._count),
      },
      ctx.base,
    );
  }

  async appointment(user: AuthUser, id: string): Promise<Appointment> {
    return toFhirAppointment(await this.appointments.get(user, id));
  }

  async searchAppointments(
    user: AuthUser,
    query: AppointmentSearchDto,
    ctx: FhirRequestContext,
  ): Promise<Bundle<Appointment>> {
    const { from, to } = dateRange('date', query.date ?? []);
    const [items, total] = await this.appointments.list(user, {
      patientId: query.patient ? referencedId(query.patient) : undefined,
      from,
      to,
      page: query._page,
      limit: query._count,
    });
    return searchset(
      { ...this.page(query, ctx, total), resources: items.map(toFhirAppointment) },
      ctx.base,
    );
  }

  async patient(user: AuthUser, id: string): Promise<Patient> {
    return toPatient(await this.patients.get(user, id), user.role !== UserRole.Doctor);
  }

  /** Books the Slot through the same use case, constraints and errors as POST /appointments. */
  async book(user: AuthUser, body: unknown, audit: AuditContext): Promise<Appointment> {
    const request = readBooking(body, user);
    const type = await this.slots.activeVisitType(request.visitTypeId);
    if (!type) throw new NotASlotError('This Slot’s Schedule is no active visit type');
    const created = await this.booking.execute(
      user,
      {
        doctorId: type.doctorId,
        startsAt: request.startsAt,
        visitTypeId: type.id,
        reason: request.reason,
        answers: request.answers ? answersFor(request.answers, type.questions) : undefined,
      },
      audit,
    );
    return toFhirAppointment(await this.appointments.reload(created.id));
  }

  private async listedDoctor(id: string): Promise<PublicDoctor | null> {
    try {
      return await this.directory.get(id);
    } catch (error) {
      // A search that names nobody finds nothing; it is no error.
      if (error instanceof DoctorNotFoundError) return null;
      throw error;
    }
  }

  private page(query: { _page: number; _count: number }, ctx: FhirRequestContext, total: number) {
    return { total, selfUrl: ctx.url, page: query._page, count: query._count };
  }
}
