import { ApiProperty } from '@nestjs/swagger';
import { MoneyDto } from '@app/common';
import { toPaymentView } from '@app/payments';
import { Payment, PaymentStatus } from '@app/database';

export class PaymentDto {
  id: string;
  /** The appointment paid for; null for a series payment (see `seriesId`). */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  appointmentId: string | null;
  /** The recurring series paid for at once (one order for its occurrences awaiting payment). */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  seriesId: string | null;
  /** created → approved → captured (→ refunded), or failed. */
  @ApiProperty({ enum: PaymentStatus, enumName: 'PaymentStatus' })
  status: PaymentStatus;
  /** The appointment's fee when it was booked (a series: the sum of the covered occurrences'). */
  amount: MoneyDto;
  /** PayPal's order id. */
  providerOrderId: string | null;
  /** Where the patient approves the payment at PayPal. */
  @ApiProperty({
    nullable: true,
    example: 'https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T',
  })
  approveUrl: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  capturedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  refundedAt: string | null;

  static from(p: Payment): PaymentDto {
    return toPaymentView(p);
  }
}

export class WebhookReceivedDto {
  @ApiProperty({ example: true })
  received: boolean;
}
