import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto, Trim } from '@app/common';
import { UserRole } from '@app/database';

export class ListUsersQueryDto extends PaginationQueryDto {
  /**
   * Part of the first name, last name, full name or email (case-insensitive).
   * @example "lovelace"
   */
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: UserRole, enumName: 'UserRole' })
  @IsOptional()
  @IsEnum(UserRole)
  role?: UserRole;
}

export class UpdateUserDto {
  /**
   * true deactivates the account (its tokens stop working at once); false reactivates it.
   * @example true
   */
  @IsBoolean()
  deactivated: boolean;
}
