import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class WeeklyRuleDto {
  /**
   * 0 = Sunday … 6 = Saturday.
   * @example 1
   */
  @IsInt()
  @Min(0)
  @Max(6)
  dayOfWeek: number;

  /**
   * Local start time, HH:MM from 00:00 to 23:59.
   * @example "09:00"
   */
  @IsString()
  @MaxLength(5)
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'startTime must be HH:MM from 00:00 to 23:59' })
  startTime: string;

  /**
   * Local end time, HH:MM after startTime; "24:00" ends at midnight.
   * @example "12:30"
   */
  @IsString()
  @MaxLength(5)
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
    message: 'endTime must be HH:MM from 00:01 to 24:00',
  })
  endTime: string;
}

export class ReplaceAvailabilityDto {
  /** The whole week; rules of one day must not overlap (touching is fine). An empty list clears it. */
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WeeklyRuleDto)
  rules: WeeklyRuleDto[];
}

export class AvailabilityDto {
  /** @example "Europe/Berlin" */
  timezone: string;

  rules: WeeklyRuleDto[];
}
