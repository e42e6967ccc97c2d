import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { Trim } from '@app/common';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from '@app/database';
import { WebhookEventType, type EndpointWithSecret } from '@app/webhooks';

const EVENTS_EXAMPLE = [WebhookEventType.AppointmentBooked, WebhookEventType.PaymentCaptured];

export class CreateWebhookDto {
  /** Where events are POSTed: https, on a public address. */
  @ApiProperty({ example: 'https://ehr.example.com/hooks/appointments', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  @Trim()
  url: string;

  /** The event types to receive. */
  @ApiProperty({
    enum: WebhookEventType,
    enumName: 'WebhookEventType',
    isArray: true,
    example: EVENTS_EXAMPLE,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsEnum(WebhookEventType, { each: true })
  events: WebhookEventType[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Trim()
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://ehr.example.com/hooks/appointments', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Trim()
  url?: string;

  @ApiPropertyOptional({ enum: WebhookEventType, enumName: 'WebhookEventType', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsEnum(WebhookEventType, { each: true })
  events?: WebhookEventType[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Trim()
  description?: string;

  /** `false` pauses deliveries; `true` switches an endpoint on again (also after it was disabled for failing). */
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookDto {
  id: string;
  /** The doctor or admin who owns it. */
  ownerId: string;
  url: string;
  @ApiProperty({ enum: WebhookEventType, enumName: 'WebhookEventType', isArray: true })
  events: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  /** Set when it was switched off for failing every delivery for `WEBHOOK_RETRY_DAYS` days. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  autoDisabledAt: string | null;
  /** Until when the secret before the last rotation still signs beside the current one. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;

  static from(e: WebhookEndpoint): WebhookDto {
    return {
      id: e.id,
      ownerId: e.ownerId,
      url: e.url,
      events: e.events as WebhookEventType[],
      description: e.description,
      enabled: e.enabled,
      autoDisabledAt: e.autoDisabledAt?.toISOString() ?? null,
      previousSecretExpiresAt: e.previousSecretExpiresAt?.toISOString() ?? null,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }
}

export class WebhookWithSecretDto extends WebhookDto {
  /** The signing secret (Standard Webhooks, `whsec_…`). Shown only in this answer: store it now. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;

  static withSecret(e: EndpointWithSecret): WebhookWithSecretDto {
    return { ...WebhookDto.from(e), secret: e.secret };
  }
}

export class WebhookDeliveryDto {
  id: string;
  /** The `webhook-id` header: the same on every attempt of this delivery. */
  eventId: string;
  /** The event type, or `webhook.test`. */
  @ApiProperty({ example: 'appointment.booked' })
  type: string;
  @ApiProperty({ enum: WebhookDeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The HTTP status of the last attempt; null when no answer came. */
  @ApiProperty({ type: Number, nullable: true, example: 200 })
  lastStatusCode: number | null;
  /** Why the last attempt failed: an HTTP status, a timeout, a refused address. */
  lastError: string | null;
  /** When the next attempt is due (pending only). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  static from(d: WebhookDelivery): WebhookDeliveryDto {
    return {
      id: d.id,
      eventId: d.eventId,
      type: d.type,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    };
  }
}
