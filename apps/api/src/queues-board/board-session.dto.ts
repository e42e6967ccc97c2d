import { ApiProperty } from '@nestjs/swagger';

export class BoardSessionDto {
  /** The session cookie stops working after this instant (15 minutes). */
  @ApiProperty({ format: 'date-time', example: '2027-03-01T09:15:00.000Z' })
  expiresAt: string;
}
