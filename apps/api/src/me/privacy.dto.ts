import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { MoneyDto } from '@app/common';
import {
  AppointmentStatus,
  AuditOutcome,
  DeliveryStatus,
  NotificationChannel,
  PaymentStatus,
  RefundStatus,
  UserRole,
  VisitMode,
} from '@app/database';
import { IntakeAnswerDto } from '../appointments/appointment.dto';
import { UserDto } from '../auth/user.dto';

export class EraseAccountDto {
  /**
   * Your current password: erasing cannot be undone, so a token alone is not enough.
   * @example "correct horse battery staple"
   */
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class ErasureDto {
  /** The erased account's id. */
  id: string;
  erasedAt: string;
  /** Future appointments cancelled by the erasure; refunds and notices follow shortly. */
  cancelledAppointmentIds: string[];
}

export class ExportSessionDto {
  id: string;
  /** Refresh tokens of one sign-in share a family. */
  familyId: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export class ExportProfileDto extends UserDto {
  /** Sign-in sessions (refresh tokens, without the tokens). */
  sessions: ExportSessionDto[];
}

export class ExportStatusChangeDto {
  /** Null for the first status, given at booking. */
  @ApiProperty({ type: String, enum: Object.values(AppointmentStatus), nullable: true })
  fromStatus: AppointmentStatus | null;
  @ApiProperty({ enum: AppointmentStatus, enumName: 'AppointmentStatus' })
  toStatus: AppointmentStatus;
  actorId: string | null;
  reason: string | null;
  at: Date;
}

export class ExportVisitTypeRefDto {
  id: string;
  name: string;
}

export class ExportAppointmentDto {
  id: string;
  /** Your side of it: `patient` (you booked it) or `doctor` (you held it). */
  @ApiProperty({ enum: UserRole, enumName: 'UserRole' })
  role: UserRole;
  doctorId: string;
  patientId: string;
  startsAt: Date;
  endsAt: Date;
  @ApiProperty({ enum: AppointmentStatus, enumName: 'AppointmentStatus' })
  status: AppointmentStatus;
  visitType: ExportVisitTypeRefDto | null;
  seriesId: string | null;
  fee: MoneyDto;
  /** What you wrote when booking; null on a doctor's side (it is the patient's). */
  reason: string | null;
  /** Your intake answers; empty on a doctor's side. */
  answers: IntakeAnswerDto[];
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancellationReason: string | null;
  declinedAt: Date | null;
  declineReason: string | null;
  rescheduledFromId: string | null;
  createdAt: Date;
  /** Every status change: who, when and why. */
  history: ExportStatusChangeDto[];
}

export class ExportRefundDto {
  id: string;
  amount: MoneyDto;
  @ApiProperty({ enum: RefundStatus, enumName: 'RefundStatus' })
  status: RefundStatus;
  reason: string;
  createdAt: Date;
  completedAt: Date | null;
}

export class ExportPaymentDto {
  id: string;
  appointmentId: string;
  @ApiProperty({ enum: PaymentStatus, enumName: 'PaymentStatus' })
  status: PaymentStatus;
  amount: MoneyDto;
  /** @example "paypal" */
  provider: string;
  providerOrderId: string | null;
  capturedAt: Date | null;
  refundedAt: Date | null;
  createdAt: Date;
  refunds: ExportRefundDto[];
}

export class ExportNotificationDto {
  id: string;
  @ApiProperty({ enum: NotificationChannel, enumName: 'NotificationChannel' })
  channel: NotificationChannel;
  /** @example "appointment.confirmed" */
  type: string;
  /** The subject of an email, the title of an in-app notification. */
  title: string;
  body: string;
  /** An in-app notification's links (ids); empty for emails. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
  @ApiProperty({ enum: DeliveryStatus, enumName: 'DeliveryStatus' })
  status: DeliveryStatus;
  sentAt: Date | null;
  readAt: Date | null;
  createdAt: Date;
}

export class ExportWaitlistEntryDto {
  id: string;
  doctorId: string;
  /** @example "2027-03-01" */
  from: string;
  /** @example "2027-03-14" */
  to: string;
  active: boolean;
  lastNotifiedAt: Date | null;
  createdAt: Date;
}

export class ExportSpecialtyDto {
  id: string;
  name: string;
}

export class ExportDoctorProfileDto {
  bio: string;
  consultationFee: MoneyDto;
  slotDurationMinutes: number;
  timezone: string;
  active: boolean;
  specialties: ExportSpecialtyDto[];
}

export class ExportPracticeVisitTypeDto {
  id: string;
  name: string;
  durationMinutes: number;
  price: MoneyDto;
  @ApiProperty({ enum: VisitMode, enumName: 'VisitMode' })
  mode: VisitMode;
  active: boolean;
}

export class ExportAvailabilityRuleDto {
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  /** @example "09:00" */
  startTime: string;
  /** @example "12:30" */
  endTime: string;
}

export class ExportTimeOffDto {
  id: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
}

export class ExportPracticeDto {
  profile: ExportDoctorProfileDto | null;
  visitTypes: ExportPracticeVisitTypeDto[];
  availability: ExportAvailabilityRuleDto[];
  timeOff: ExportTimeOffDto[];
}

export class ExportAuditRowDto {
  id: string;
  /** Who read or changed the record; null for the system. */
  actorId: string | null;
  /** @example "appointment.read" */
  action: string;
  /** @example "appointment" */
  resourceType: string;
  resourceId: string | null;
  @ApiProperty({ enum: AuditOutcome, enumName: 'AuditOutcome' })
  outcome: AuditOutcome;
  at: Date;
}

/**
 * Everything stored about you. Never part of it: password or token hashes, one-time links,
 * webhook secrets, calendar-feed tokens.
 */
export class PersonalDataExportDto {
  exportedAt: string;
  profile: ExportProfileDto;
  appointments: ExportAppointmentDto[];
  /** Payments and refunds of your bookings. */
  payments: ExportPaymentDto[];
  notifications: ExportNotificationDto[];
  waitlist: ExportWaitlistEntryDto[];
  /** A doctor's profile, visit types, hours and time off; null for other accounts. */
  practice: ExportPracticeDto | null;
  /** Every audit row about your records: who read or changed them, when, and the outcome. */
  accessLog: ExportAuditRowDto[];
}
