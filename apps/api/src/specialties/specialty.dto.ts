import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class SpecialtyDto {
  /** @example "6f1c2d9e-8a4b-4c3d-9e2f-1a2b3c4d5e6f" */
  id: string;

  /** @example "Cardiology" */
  name: string;

  /** @example "Heart and blood vessels" */
  description: string | null;

  createdAt: Date;
}

export class CreateSpecialtyDto {
  /**
   * Unique, case-insensitively.
   * @example "Cardiology"
   */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /** @example "Heart and blood vessels" */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}
