import { Controller, Get, HttpCode, Param, Post, RawBodyRequest, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, AuthUser, CurrentUser, Public } from '@app/auth';
import { ApiProblems, IdParamPipe } from '@app/common';
import { AuditAction, AuditResource } from '@app/core';
import { UserRole } from '@app/database';
import { CreatePayment, PaymentQueries, ReceivePayPalWebhook, RequestCapture } from '@app/payments';
import { AuditContext } from '../audit/audit-context.decorator';
import { Audited, AuditedChange } from '../audit/audited.decorator';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { PaymentDto, WebhookReceivedDto } from './payment.dto';
import { CreatedAt } from '../http/created-at.decorator';

const appointmentUuid = new IdParamPipe('Appointment');
const paymentUuid = new IdParamPipe('Payment');
const PROVIDER_DOWN =
  'PAYMENT_PROVIDER_ERROR: PayPal is unreachable, slow or refused the call; nothing was charged';

@ApiTags('payments')
@Controller('appointments')
export class AppointmentPaymentsController {
  constructor(private readonly createPayment: CreatePayment) {}

  @Post(':id/payments')
  @Auth(UserRole.Patient)
  @Idempotent()
  @AuditedChange(AuditAction.PaymentCreate, AuditResource.Payment, 'response')
  @ApiOperation({
    summary: 'Create the PayPal order for a held appointment',
    description:
      'Empty body. The patient of a `pending_payment` appointment whose hold runs gets a payment with an `approveUrl` to open at PayPal, then calls `POST /payments/{id}/capture`. An appointment has one open payment: while it is open, asking again answers that same payment (no second order). A failed payment can be replaced by a new one.',
  })
  @CreatedAt(PaymentDto, 'payments/{id}')
  @ApiProblems(
    [404, 'Unknown appointment, or not yours'],
    [409, 'PAYMENT_NOT_PAYABLE: not pending_payment, or the hold expired'],
    [502, `${PROVIDER_DOWN}; the appointment is unchanged`],
    [400, 'VALIDATION_FAILED: a malformed Idempotency-Key'],
    429,
  )
  async create(
    @CurrentUser() user: AuthUser,
    @Param('id', appointmentUuid) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<PaymentDto> {
    return PaymentDto.from(await this.createPayment.execute(user, id, audit));
  }
}

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly requestCapture: RequestCapture,
    private readonly queries: PaymentQueries,
    private readonly receiveWebhook: ReceivePayPalWebhook,
  ) {}

  @Post(':id/capture')
  @HttpCode(202)
  @Auth(UserRole.Patient)
  @AuditedChange(AuditAction.PaymentCapture, AuditResource.Payment)
  @ApiOperation({
    summary: 'Capture an approved payment',
    description:
      'Empty body. Call after the patient approved at PayPal. Answers 202 with the payment as it is now; the worker captures it, marks it `captured` and confirms the appointment (poll `GET /payments/{id}` or the appointment). Asking again, or for an already captured payment, answers 202 and captures nothing twice. A capture that lands after the hold ended is refunded automatically.',
  })
  @ApiAcceptedResponse({ type: PaymentDto })
  @ApiProblems(
    [404, 'Unknown payment, or not yours'],
    [
      409,
      'PAYMENT_NOT_PAYABLE: the payment failed or was refunded, has no order yet, or the hold expired',
    ],
    429,
  )
  async capture(
    @CurrentUser() user: AuthUser,
    @Param('id', paymentUuid) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<PaymentDto> {
    return PaymentDto.from(await this.requestCapture.execute(user, id, audit));
  }

  @Get(':id')
  @Auth()
  @Audited(AuditAction.PaymentRead, AuditResource.Payment)
  @ApiOperation({ summary: 'Get a payment (the patient of its appointment, or an admin)' })
  @ApiOkResponse({ type: PaymentDto })
  @ApiProblems([404, 'Unknown, or not yours (doctors see no payments)'], 429)
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', paymentUuid) id: string,
  ): Promise<PaymentDto> {
    return PaymentDto.from(await this.queries.get(user, id));
  }

  @Post('webhooks/paypal')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'PayPal webhook',
    description:
      'Called by PayPal. The delivery is verified with PayPal (verify-webhook-signature, PAYPAL_WEBHOOK_ID) on its raw bytes; an unverified one answers 400 and nothing is stored. Each event id is stored once (a redelivery answers 200 and does nothing) and handled by the worker: CHECKOUT.ORDER.APPROVED, PAYMENT.CAPTURE.COMPLETED, PAYMENT.CAPTURE.DENIED, PAYMENT.CAPTURE.REFUNDED.',
  })
  @ApiHeader({
    name: 'PAYPAL-TRANSMISSION-SIG',
    required: true,
    description: 'With the other PAYPAL-* transmission headers',
  })
  @ApiBody({
    description: 'The webhook event as PayPal sends it',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiOkResponse({ type: WebhookReceivedDto })
  @ApiProblems(
    [400, 'WEBHOOK_NOT_VERIFIED, or VALIDATION_FAILED for a body that is not an event'],
    [502, `${PROVIDER_DOWN}; PayPal delivers the event again later`],
    429,
  )
  async paypalWebhook(@Req() request: RawBodyRequest<FastifyRequest>): Promise<WebhookReceivedDto> {
    await this.receiveWebhook.execute(request.headers, request.rawBody);
    return { received: true };
  }
}
