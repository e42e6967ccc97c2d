import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Appointment, Bundle, Patient } from '@medplum/fhirtypes';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import { ApiProblems, IdParamPipe } from '@app/common';
import { AuditAction, AuditResource } from '@app/core';
import { UserRole } from '@app/database';
import { AuditContext } from '../audit/audit-context.decorator';
import { Audited, AuditedChange } from '../audit/audited.decorator';
import { FhirCreatedInterceptor } from './fhir-created.interceptor';
import { ApiFhirBookingBody, ApiFhirResponse, ApiFhirSearchResponse } from './fhir-openapi';
import { FhirRequest, FhirRequestContext } from './fhir-request.decorator';
import { AppointmentSearchDto } from './fhir-search.dto';
import { FhirService } from './fhir.service';

/** Appointments and patients over FHIR: the same ownership and audit as /api/v1. */
@ApiTags('fhir')
@Controller('fhir/R4')
export class FhirRecordsController {
  constructor(private readonly fhir: FhirService) {}

  @Post('Appointment')
  @Auth(UserRole.Patient)
  @AuditedChange(AuditAction.AppointmentCreate, AuditResource.Appointment)
  @UseInterceptors(FhirCreatedInterceptor)
  @ApiOperation({
    summary: 'FHIR: book a Slot',
    description:
      'A patient books: an Appointment (status proposed, pending or booked) with `slot: [{ reference: "Slot/<id>" }]` and the caller as its Patient participant. The same use case, database constraints and errors as POST /api/v1/appointments; the answer’s status follows the mapping (pending while it waits for approval or payment, booked when confirmed).',
  })
  @ApiFhirBookingBody()
  @ApiFhirResponse('FhirAppointment', 'The booked Appointment; `Location` names it', 201)
  @ApiProblems(
    [400, 'invalid: not a bookable Appointment, or bad intake answers (one issue per field)'],
    [403, 'security: only patients book, and only for themselves'],
    [409, 'conflict: SLOT_TAKEN (the slot or its buffers are booked) or PATIENT_BUSY'],
    [422, 'invalid: NOT_A_SLOT (no slot of this server) or INVALID_VISIT_TYPE'],
    [404, 'not-found: the doctor is no longer listed'],
    429,
  )
  book(
    @CurrentUser() user: AuthUser,
    @Body() body: unknown,
    @AuditContext() audit: AuditContext,
  ): Promise<Appointment> {
    return this.fhir.book(user, body, audit);
  }

  @Get('Appointment')
  @Auth()
  @Audited(AuditAction.AppointmentList, AuditResource.Appointment)
  @ApiOperation({
    summary: 'FHIR: search appointments',
    description:
      'The caller’s appointments as GET /api/v1/appointments lists them (a patient’s, a doctor’s, all for an admin), by start.',
  })
  @ApiFhirSearchResponse('FhirAppointment')
  @ApiProblems([400, 'invalid: malformed patient or date'], 429)
  searchAppointments(
    @CurrentUser() user: AuthUser,
    @Query() query: AppointmentSearchDto,
    @FhirRequest() ctx: FhirRequestContext,
  ): Promise<Bundle<Appointment>> {
    return this.fhir.searchAppointments(user, query, ctx);
  }

  @Get('Appointment/:id')
  @Auth()
  @Audited(AuditAction.AppointmentRead, AuditResource.Appointment)
  @ApiOperation({ summary: 'FHIR: an appointment (its patient, its doctor or an admin)' })
  @ApiFhirResponse('FhirAppointment', 'The Appointment')
  @ApiProblems([404, 'not-found: unknown, or not yours'], 429)
  appointment(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParamPipe('Appointment')) id: string,
  ): Promise<Appointment> {
    return this.fhir.appointment(user, id);
  }

  @Get('Patient/:id')
  @Auth()
  @Audited(AuditAction.PatientRead, AuditResource.Patient)
  @ApiOperation({
    summary: 'FHIR: a patient (themself, their doctors, admins)',
    description:
      'Name for their doctors; email and phone too for the patient themself and admins. Anyone else: 404.',
  })
  @ApiFhirResponse('FhirPatient', 'The Patient')
  @ApiProblems([404, 'not-found: unknown, or not yours to see'], 429)
  patient(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParamPipe('Patient')) id: string,
  ): Promise<Patient> {
    return this.fhir.patient(user, id);
  }
}
