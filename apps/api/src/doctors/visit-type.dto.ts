import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_QUESTIONS, QUESTION_KEY, QUESTION_KINDS } from '@app/booking';
import { MoneyDto, Trim } from '@app/common';
import { type QuestionKind, VisitMode } from '@app/database';

/** Present-but-null fails validation instead of being taken as "not given". */
const IfPresent = () => ValidateIf((_object, value) => value !== undefined);

export class QuestionDto {
  /** Unique within the type; answers are keyed by it. @example "symptoms" */
  @ApiProperty({ pattern: QUESTION_KEY.source, maxLength: 40 })
  @IsString()
  @Matches(QUESTION_KEY, { message: 'key must match ^[a-z][a-z0-9_]{0,39}$' })
  key: string;

  /** @example "What brings you in?" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Trim()
  label: string;

  @ApiProperty({ enum: QUESTION_KINDS, enumName: 'QuestionKind' })
  @IsIn(QUESTION_KINDS)
  kind: QuestionKind;

  @IsOptional()
  @IsBoolean()
  required?: boolean;

  /** 2 to 20 distinct options, for single_choice and multi_choice only. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  options?: string[];
}

export class CreateVisitTypeDto {
  /** @example "New-patient consultation" */
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Trim()
  name: string;

  @IfPresent()
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** Length of the visit. @example 45 */
  @IsInt()
  @Min(5)
  @Max(480)
  durationMinutes: number;

  /** 0.00 for a free visit. */
  @ValidateNested()
  @Type(() => MoneyDto)
  price: MoneyDto;

  /** Kept free before the visit (may reach outside the weekly window). @example 0 */
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(120)
  bufferBeforeMinutes?: number;

  /** Kept free after the visit, e.g. to write notes. @example 15 */
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(120)
  bufferAfterMinutes?: number;

  @ApiPropertyOptional({ enum: VisitMode, enumName: 'VisitMode', default: VisitMode.InPerson })
  @IfPresent()
  @IsIn(Object.values(VisitMode))
  mode?: VisitMode;

  /** Where an in-person visit takes place. @example "Room 4, Main Street 12" */
  @IfPresent()
  @IsString()
  @MaxLength(300)
  location?: string;

  /** Bookings wait for the doctor's approval (`pending_approval`). */
  @IfPresent()
  @IsBoolean()
  requiresApproval?: boolean;

  /** Hours the doctor has to decide, at most until the start. @example 24 */
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(168)
  approvalDeadlineHours?: number;

  /** A patient cannot cancel or reschedule later than this many hours before the start. */
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(168)
  changeCutoffHours?: number;

  @ApiPropertyOptional({ type: [QuestionDto], maxItems: MAX_QUESTIONS })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions?: QuestionDto[];

  /** Order among the doctor's types; default: after the others. */
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(10_000)
  position?: number;
}

export class UpdateVisitTypeDto {
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  @Trim()
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @IfPresent()
  @IsInt()
  @Min(5)
  @Max(480)
  durationMinutes?: number;

  @IfPresent()
  @ValidateNested()
  @Type(() => MoneyDto)
  price?: MoneyDto;

  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(120)
  bufferBeforeMinutes?: number;

  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(120)
  bufferAfterMinutes?: number;

  @ApiPropertyOptional({ enum: VisitMode, enumName: 'VisitMode' })
  @IfPresent()
  @IsIn(Object.values(VisitMode))
  mode?: VisitMode;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  location?: string | null;

  @IfPresent()
  @IsBoolean()
  requiresApproval?: boolean;

  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(168)
  approvalDeadlineHours?: number;

  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(168)
  changeCutoffHours?: number;

  @ApiPropertyOptional({ type: [QuestionDto], maxItems: MAX_QUESTIONS })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_QUESTIONS)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions?: QuestionDto[];

  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(10_000)
  position?: number;

  /** `true` restores an archived type; `false` archives it like DELETE. */
  @IfPresent()
  @IsBoolean()
  active?: boolean;
}

export class VisitTypeDto {
  id: string;
  doctorId: string;
  /** @example "New-patient consultation" */
  name: string;
  description: string | null;
  /** @example 45 */
  durationMinutes: number;
  price: MoneyDto;
  /** @example 0 */
  bufferBeforeMinutes: number;
  /** @example 15 */
  bufferAfterMinutes: number;
  @ApiProperty({ enum: VisitMode, enumName: 'VisitMode' })
  mode: VisitMode;
  location: string | null;
  requiresApproval: boolean;
  /** @example 24 */
  approvalDeadlineHours: number;
  /** @example 0 */
  changeCutoffHours: number;
  questions: QuestionDto[];
  /** @example 0 */
  position: number;
  active: boolean;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;
}

export class VisitTypeSummaryDto {
  id: string;
  /** @example "Consultation" */
  name: string;
  /** @example 30 */
  durationMinutes: number;
  price: MoneyDto;
  @ApiProperty({ enum: VisitMode, enumName: 'VisitMode' })
  mode: VisitMode;
}
