import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import { BookSeries, CancelSeries, DecideSeriesApproval, SeriesQueries } from '@app/booking';
import { ApiProblems, IdParamPipe } from '@app/common';
import { AuditAction, AuditResource } from '@app/core';
import { UserRole } from '@app/database';
import { CreateSeriesPayment } from '@app/payments';
import { AuditContext } from '../audit/audit-context.decorator';
import { Audited, AuditedChange } from '../audit/audited.decorator';
import { CreatedAt } from '../http/created-at.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { PaymentDto } from '../payments/payment.dto';
import {
  AppointmentSeriesDto,
  CancelledSeriesDto,
  CancelSeriesDto,
  CreateSeriesDto,
  DeclineSeriesDto,
} from './series.dto';

const uuid = new IdParamPipe('Appointment series');

@ApiTags('appointment-series')
@Controller('appointment-series')
export class AppointmentSeriesController {
  constructor(
    private readonly book: BookSeries,
    private readonly cancelUseCase: CancelSeries,
    private readonly approval: DecideSeriesApproval,
    private readonly queries: SeriesQueries,
    private readonly createPayment: CreateSeriesPayment,
  ) {}

  @Post()
  @Auth(UserRole.Patient)
  @AuditedChange(AuditAction.SeriesCreate, AuditResource.Series, 'response')
  @ApiOperation({
    summary: 'Book a recurring series, all or nothing',
    description:
      'Books `count` occurrences of `visitTypeId` (default: the doctor’s first active type): `startsAt`, then the same local wall-clock time in the doctor’s zone every `repeat.every` weeks (the UTC instant moves at a daylight-saving change). Every occurrence is inserted in one transaction under the exclusion constraints and must be a slot inside the bookable window (minimum notice, horizon); if any is not, the answer is 409 `SERIES_CONFLICT` listing every failing occurrence in `conflicts`, and nothing is booked. Each occurrence is an ordinary appointment with `seriesId` set, in the status a single booking of the type gets.',
  })
  @CreatedAt(AppointmentSeriesDto, 'appointment-series/{id}')
  @ApiProblems([
    409,
    'SERIES_CONFLICT, with `conflicts: [{ startsAt, code: SLOT_TAKEN | NOT_A_SLOT | PATIENT_BUSY }]` listing every occurrence that cannot be booked; nothing was booked',
  ])
  @ApiProblems(
    [422, 'INVALID_VISIT_TYPE: another doctor’s or an archived type; IDEMPOTENCY_KEY_REUSED'],
    [404, 'Unknown doctor'],
    [
      400,
      'VALIDATION_FAILED (e.g. `repeat.every` outside 1–4, `count` outside 2–26, a bad answer)',
    ],
    429,
  )
  @Idempotent()
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateSeriesDto,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentSeriesDto> {
    const series = await this.book.execute(
      user,
      {
        doctorId: dto.doctorId,
        visitTypeId: dto.visitTypeId,
        startsAt: new Date(dto.startsAt),
        repeat: { every: dto.repeat.every, unit: dto.repeat.unit, count: dto.count },
        reason: dto.reason,
        answers: dto.answers,
      },
      audit,
    );
    return AppointmentSeriesDto.from(await this.queries.reload(series.id));
  }

  @Get(':id')
  @Auth()
  @Audited(AuditAction.SeriesRead, AuditResource.Series)
  @ApiOperation({
    summary: 'Get a series with its occurrences (its patient, its doctor, an admin)',
  })
  @ApiOkResponse({ type: AppointmentSeriesDto })
  @ApiProblems([404, 'Unknown, or not yours'], 429)
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
  ): Promise<AppointmentSeriesDto> {
    return AppointmentSeriesDto.from(await this.queries.get(user, id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Auth()
  @AuditedChange(AuditAction.SeriesCancel, AuditResource.Series)
  @ApiOperation({
    summary: 'Cancel the rest of a series',
    description:
      'Cancels every live occurrence starting at or after `from` (default: now), each by the rules of `POST /appointments/{id}/cancel`: paid occurrences cancelled early enough (or by the doctor or an admin) are refunded, together as one partial refund of the series’ capture. A patient cannot cancel occurrences inside their change cutoff: those stay live and are listed in `notCancelled`.',
  })
  @ApiOkResponse({ type: CancelledSeriesDto })
  @ApiProblems([404, 'Unknown, or not yours'], 400, 429)
  async cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() dto: CancelSeriesDto,
    @AuditContext() audit: AuditContext,
  ): Promise<CancelledSeriesDto> {
    const result = await this.cancelUseCase.execute(
      user,
      id,
      { from: dto.from ? new Date(dto.from) : undefined, reason: dto.reason ?? null },
      audit,
    );
    return {
      ...AppointmentSeriesDto.from(await this.queries.reload(id)),
      notCancelled: result.notCancelledIds,
    };
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Auth(UserRole.Doctor, UserRole.Admin)
  @AuditedChange(AuditAction.SeriesApprove, AuditResource.Series)
  @ApiOperation({
    summary: 'Approve every occurrence waiting for approval (its doctor, an admin)',
    description:
      'Each `pending_approval` occurrence becomes `pending_payment` with a fresh hold (pay them at once with `POST /appointment-series/{id}/payments`) or `confirmed` when free.',
  })
  @ApiOkResponse({ type: AppointmentSeriesDto })
  @ApiProblems([409, 'INVALID_TRANSITION: no occurrence is pending_approval'], 404, 403, 429)
  async approve(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentSeriesDto> {
    await this.approval.approve(user, id, audit);
    return AppointmentSeriesDto.from(await this.queries.reload(id));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Auth(UserRole.Doctor, UserRole.Admin)
  @AuditedChange(AuditAction.SeriesDecline, AuditResource.Series)
  @ApiOperation({
    summary: 'Decline every occurrence waiting for approval (its doctor, an admin)',
    description: '`declined` is final: the slots free and the waitlist hears of them.',
  })
  @ApiOkResponse({ type: AppointmentSeriesDto })
  @ApiProblems([409, 'INVALID_TRANSITION: no occurrence is pending_approval'], 404, 403, 400, 429)
  async decline(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() dto: DeclineSeriesDto,
    @AuditContext() audit: AuditContext,
  ): Promise<AppointmentSeriesDto> {
    await this.approval.decline(user, id, dto.reason ?? null, audit);
    return AppointmentSeriesDto.from(await this.queries.reload(id));
  }

  @Post(':id/payments')
  @Auth(UserRole.Patient)
  @Idempotent()
  @AuditedChange(AuditAction.PaymentCreate, AuditResource.Payment, 'response')
  @ApiOperation({
    summary: 'Create one PayPal order for the series',
    description:
      'Empty body. One payment (with `seriesId`) for the sum of the live occurrences awaiting payment whose hold runs; then `POST /payments/{id}/capture`. On capture every covered occurrence still `pending_payment` is confirmed; the share of one that is no longer held goes back as a partial refund. A series has one open payment: asking again answers it.',
  })
  @CreatedAt(PaymentDto, 'payments/{id}')
  @ApiProblems(
    [404, 'Unknown series, or not yours'],
    [
      409,
      'PAYMENT_NOT_PAYABLE: no occurrence awaits payment; INVALID_TRANSITION: still waiting for approval',
    ],
    [502, 'PAYMENT_PROVIDER_ERROR: PayPal is unreachable, slow or refused the call'],
    [400, 'VALIDATION_FAILED: a malformed Idempotency-Key'],
    429,
  )
  async pay(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<PaymentDto> {
    return PaymentDto.from(await this.createPayment.execute(user, id, audit));
  }
}
