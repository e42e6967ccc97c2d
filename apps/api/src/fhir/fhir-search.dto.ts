import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { DateTime } from 'luxon';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ValidationError } from '@app/common';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** `Practitioner/<id>` or the bare id, as FHIR reference search parameters take them. */
const reference = (type: string) => new RegExp(`^(${type}/)?${UUID}$`);
/** A date search value: a prefix and a full instant (no partial dates here). */
export const DATE_PARAM =
  /^(ge|gt|le|lt)(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))$/;
const DATE_PARAM_MESSAGE =
  '$property must be ge, gt, lt or le followed by an instant with its offset, e.g. ge2027-03-01T00:00:00Z';

const DATE_PARAM_SCHEMA = { type: 'string', maxLength: 40, pattern: DATE_PARAM.source } as const;

const asArray = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/** `_count` and `_page` of a searchset; the Bundle's `next` link carries them. */
abstract class FhirPageQuery {
  @ApiPropertyOptional({ description: 'Entries per page', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  _count: number = 20;

  @ApiPropertyOptional({
    description: 'Page, from 1; follow the Bundle’s `next` link rather than counting',
    minimum: 1,
    maximum: 100_000,
    default: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  _page: number = 1;
}

export class PractitionerSearchDto extends FhirPageQuery {
  /** Words that must each appear in the given or family name (case-insensitive). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

export class ScheduleSearchDto extends FhirPageQuery {
  /** The doctor: `Practitioner/<id>`. */
  @ApiProperty({ example: 'Practitioner/2f0c7d5e-1b8c-4c52-9a3e-6d1f0b9e4a10', maxLength: 49 })
  @MaxLength(49)
  @Matches(reference('Practitioner'), { message: 'actor must be Practitioner/<id>' })
  actor: string;
}

export class SlotSearchDto {
  /** The visit type: `Schedule/<id>`, from `GET /fhir/R4/Schedule?actor=`. */
  @ApiProperty({ example: 'Schedule/9b4c3c1e-7f7a-4d0e-8a51-3f9c2a6b1d22', maxLength: 45 })
  @MaxLength(45)
  @Matches(reference('Schedule'), { message: 'schedule must be Schedule/<id>' })
  schedule: string;

  /**
   * Two bounds of the slots' start: a lower (`ge` or `gt`) and an upper (`lt` or `le`)
   * instant, at most 31 days apart: `start=ge2027-03-01T00:00:00Z&start=lt2027-03-08T00:00:00Z`.
   */
  @ApiProperty({
    type: 'array',
    items: DATE_PARAM_SCHEMA,
    minItems: 2,
    maxItems: 2,
    example: ['ge2027-03-01T00:00:00Z', 'lt2027-03-08T00:00:00Z'],
  })
  @Transform(asArray)
  @IsArray()
  @ArrayMinSize(2, { message: 'start needs a lower and an upper bound' })
  @ArrayMaxSize(2, { message: 'start needs a lower and an upper bound' })
  @MaxLength(DATE_PARAM_SCHEMA.maxLength, { each: true })
  @Matches(DATE_PARAM, { each: true, message: DATE_PARAM_MESSAGE })
  start: string[];

  @ApiPropertyOptional({
    description: 'Slots per page (a month of 5-minute slots fits in one)',
    minimum: 1,
    maximum: 10_000,
    default: 10_000,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  _count: number = 10_000;

  @ApiPropertyOptional({ description: 'Page, from 1', minimum: 1, maximum: 100_000, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  _page: number = 1;
}

export class AppointmentSearchDto extends FhirPageQuery {
  /** Only this patient’s: `Patient/<id>` (a patient sees only their own anyway). */
  @ApiPropertyOptional({ example: 'Patient/5d1e8f0a-2c3b-4a5d-8e6f-7a8b9c0d1e2f', maxLength: 44 })
  @IsOptional()
  @MaxLength(44)
  @Matches(reference('Patient'), { message: 'patient must be Patient/<id>' })
  patient?: string;

  /** Bounds of the start, each a prefix and an instant: `date=ge2027-03-01T00:00:00Z`. */
  @ApiPropertyOptional({
    type: 'array',
    items: DATE_PARAM_SCHEMA,
    maxItems: 2,
    example: ['ge2027-03-01T00:00:00Z'],
  })
  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(2)
  @MaxLength(40, { each: true })
  @Matches(DATE_PARAM, { each: true, message: DATE_PARAM_MESSAGE })
  date?: string[];
}

/** The id a reference search parameter names. */
export function referencedId(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1).toLowerCase();
}

/**
 * [from, to) of the date search values of parameter `field`; a bound not given is
 * undefined. 400 for an instant that does not exist (2027-02-30) or two of one side.
 */
export function dateRange(field: string, values: string[]): { from?: Date; to?: Date } {
  const range: { from?: Date; to?: Date } = {};
  for (const value of values) {
    const [, prefix, at] = DATE_PARAM.exec(value) ?? [];
    const parsed = at ? DateTime.fromISO(at, { setZone: true }) : null;
    if (!parsed?.isValid) throw ValidationError.field(field, `${value} is not a valid instant`);
    const side = prefix === 'ge' || prefix === 'gt' ? 'from' : 'to';
    if (range[side])
      throw ValidationError.field(field, `${field} takes one lower and one upper bound`);
    const ms = parsed.toMillis();
    if (prefix === 'ge' || prefix === 'gt') range.from = new Date(prefix === 'gt' ? ms + 1 : ms);
    else range.to = new Date(prefix === 'le' ? ms + 1 : ms);
  }
  return range;
}
