import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from './error-codes';

export class ProblemFieldError {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

/** One occurrence of a recurring series that cannot be booked (SERIES_CONFLICT). */
export class ProblemSeriesConflict {
  @ApiProperty({ type: String, format: 'date-time', example: '2027-03-30T07:00:00.000Z' })
  startsAt: string;

  @ApiProperty({
    enum: [ErrorCode.SLOT_TAKEN, ErrorCode.NOT_A_SLOT, ErrorCode.PATIENT_BUSY],
    example: ErrorCode.SLOT_TAKEN,
  })
  code: string;
}

/** RFC 9457 problem details, as every error answer of this API. */
export class ProblemDetails {
  @ApiProperty({ example: 'https://doctor-appointment.dev/problems/validation-failed' })
  type: string;

  @ApiProperty({ example: 'Validation failed' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'email must be an email' })
  detail: string;

  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode', example: ErrorCode.VALIDATION_FAILED })
  code: ErrorCode;

  @ApiPropertyOptional({ description: 'Request path' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Correlation id (same as X-Request-Id)' })
  requestId?: string;

  @ApiPropertyOptional({ type: [ProblemFieldError] })
  errors?: ProblemFieldError[];

  @ApiPropertyOptional({
    type: [ProblemSeriesConflict],
    description: 'SERIES_CONFLICT only: every occurrence that cannot be booked (nothing was)',
  })
  conflicts?: ProblemSeriesConflict[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: ErrorCode): string {
  return `https://doctor-appointment.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
