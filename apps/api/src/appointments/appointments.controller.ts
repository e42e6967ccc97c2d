import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import {
  AppointmentQueries,
  BookAppointment,
  CancelAppointment,
  DecideApproval,
  FinishAppointment,
  RescheduleAppointment,
} from '@app/booking';
import { ApiPaginatedResponse, ApiProblems, IdParamPipe, paginate, Paginated } from '@app/common';
import { AuditAction, AuditResource } from '@app/core';
import { AppointmentStatus, UserRole } from '@app/database';
import { AuditContext } from '../audit/audit-context.decorator';
import { Audited, AuditedChange } from '../audit/audited.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import {
  AppointmentDto,
  CancelAppointmentDto,
  CreateAppointmentDto,
  DeclineAppointmentDto,
  ListAppointmentsQueryDto,
  RescheduleAppointmentDto,
} from './appointment.dto';
import { CreatedAt } from '../http/created-at.decorator';

const uuid = new IdParamPipe('Appointment');

@ApiTags('appointments')
@Controller('appointments')
export class AppointmentsController {
  constructor(
    private readonly book: BookAppointment,
    private readonly cancelUseCase: CancelAppointment,
    private readonly rescheduleUseCase: RescheduleAppointment,
    private readonly finish: FinishAppointment,
    private readonly approval: DecideApproval,
    private readonly queries: AppointmentQueries,
  ) {}

  @Post()
  @Auth(UserRole.Patient)
  @Idempotent()
  @AuditedChange(AuditAction.AppointmentCreate, AuditResource.Appointment)
  @ApiOperation({
    summary: 'Book a slot',
    description:
      'Books a visit of `visitTypeId` (default: the doctor’s first active type). A type that needs approval gives `pending_approval` with `approvalDeadlineAt`; otherwise a price gives `pending_payment` with `holdExpiresAt`, a zero price `confirmed`. `answers` are checked against the type’s questions. The database makes overlapping live bookings (buffers included) impossible.',
  })
  @CreatedAt(AppointmentDto, 'appointments/{id}')
  @ApiProblems(
    [409, 'SLOT_TAKEN (the visit or its buffers overlap another booking) or PATIENT_BUSY'],
    [
      422,
      'NOT_A_SLOT: not a start of that doctor and type; INVALID_VISIT_TYPE: another doctor’s or an archived type',
    ],
    [404, 'Unknown doctor'],
    [400, 'VALIDATION_FAILED, with `errors[].field` = `answers.<key>` for each bad answer'],
    429,
  )
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateAppointmentDto,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentDto> {
    const created = await this.book.execute(
      user,
      {
        doctorId: dto.doctorId,
        startsAt: new Date(dto.startsAt),
        visitTypeId: dto.visitTypeId,
        reason: dto.reason,
        answers: dto.answers,
      },
      audit,
    );
    return AppointmentDto.from(await this.queries.reload(created.id));
  }

  @Get()
  @Auth()
  @Audited(AuditAction.AppointmentList, AuditResource.Appointment)
  @ApiOperation({
    summary: 'List appointments: a patient sees theirs, a doctor theirs, an admin all',
  })
  @ApiPaginatedResponse(AppointmentDto)
  @ApiProblems(400, 429)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListAppointmentsQueryDto,
  ): Promise<Paginated<AppointmentDto>> {
    const [items, total] = await this.queries.list(user, {
      ...query,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    });
    return paginate(items.map(AppointmentDto.from), total, query);
  }

  @Get(':id')
  @Auth()
  @Audited(AuditAction.AppointmentRead, AuditResource.Appointment)
  @ApiOperation({ summary: 'Get one appointment (its patient, its doctor or an admin)' })
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems([404, 'Unknown, or not yours'], 429)
  async get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<AppointmentDto> {
    return AppointmentDto.from(await this.queries.get(user, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Auth()
  @AuditedChange(AuditAction.AppointmentCancel, AuditResource.Appointment)
  @ApiOperation({
    summary: 'Cancel an appointment',
    description:
      'Frees the slot. A paid appointment is refunded in full when cancelled at least CANCELLATION_FULL_REFUND_HOURS ahead, or by the doctor or an admin. For a rescheduled appointment the notice counts from the earliest start of its reschedule chain (normally the first booking), so moving it first does not earn a refund. A patient cannot cancel once it has started; its doctor or an admin still can.',
  })
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems(
    [
      409,
      'INVALID_TRANSITION (e.g. already cancelled), or TOO_LATE_TO_CHANGE: a patient cancelling an appointment that has started or is inside its visit type’s change cutoff',
    ],
    404,
    400,
    429,
  )
  async cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() dto: CancelAppointmentDto,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentDto> {
    const cancelled = await this.cancelUseCase.execute(user, id, dto.reason ?? null, audit);
    return AppointmentDto.from(await this.queries.reload(cancelled.id));
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @Auth(UserRole.Patient, UserRole.Doctor)
  @AuditedChange(AuditAction.AppointmentReschedule, AuditResource.Appointment)
  @ApiOperation({
    summary: 'Move an appointment to another slot, atomically',
    description:
      'Answers the new appointment (new id, `rescheduledFromId` set, same status and payment); the old one becomes `rescheduled`. If the new slot is taken nothing changes. An appointment that has started cannot be moved.',
  })
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems(
    [
      409,
      'SLOT_TAKEN, PATIENT_BUSY, INVALID_TRANSITION, or TOO_LATE_TO_CHANGE: the appointment has started, or a patient is inside the change cutoff',
    ],
    [422, 'NOT_A_SLOT'],
    404,
    400,
    429,
  )
  async reschedule(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() dto: RescheduleAppointmentDto,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentDto> {
    const moved = await this.rescheduleUseCase.execute(user, id, new Date(dto.startsAt), audit);
    return AppointmentDto.from(await this.queries.reload(moved.id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Auth(UserRole.Doctor, UserRole.Admin)
  @AuditedChange(AuditAction.AppointmentApprove, AuditResource.Appointment)
  @ApiOperation({
    summary: 'Approve a booking that waits for approval (its doctor, an admin)',
    description:
      'A priced visit becomes `pending_payment` with a fresh payment hold from now; a free one `confirmed`.',
  })
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems([409, 'INVALID_TRANSITION: not pending_approval'], 404, 403, 429)
  async approve(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentDto> {
    const approved = await this.approval.approve(user, id, audit);
    return AppointmentDto.from(await this.queries.reload(approved.id));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Auth(UserRole.Doctor, UserRole.Admin)
  @AuditedChange(AuditAction.AppointmentDecline, AuditResource.Appointment)
  @ApiOperation({
    summary: 'Decline a booking that waits for approval (its doctor, an admin)',
    description: '`declined` is final: the slot frees and the waitlist hears of it.',
  })
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems([409, 'INVALID_TRANSITION: not pending_approval'], 404, 403, 400, 429)
  async decline(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() dto: DeclineAppointmentDto,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentDto> {
    const declined = await this.approval.decline(user, id, dto.reason ?? null, audit);
    return AppointmentDto.from(await this.queries.reload(declined.id));
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Auth(UserRole.Doctor)
  @AuditedChange(AuditAction.AppointmentComplete, AuditResource.Appointment)
  @ApiOperation({ summary: 'Mark a started appointment completed (its doctor)' })
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems([409, 'TOO_EARLY before the start, or INVALID_TRANSITION'], 404, 429)
  async complete(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentDto> {
    const done = await this.finish.execute(user, id, AppointmentStatus.Completed, audit);
    return AppointmentDto.from(await this.queries.reload(done.id));
  }

  @Post(':id/no-show')
  @HttpCode(200)
  @Auth(UserRole.Doctor)
  @AuditedChange(AuditAction.AppointmentNoShow, AuditResource.Appointment)
  @ApiOperation({ summary: 'Mark that the patient did not come (its doctor)' })
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems([409, 'TOO_EARLY before the start, or INVALID_TRANSITION'], 404, 429)
  async noShow(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentDto> {
    const done = await this.finish.execute(user, id, AppointmentStatus.NoShow, audit);
    return AppointmentDto.from(await this.queries.reload(done.id));
  }
}
