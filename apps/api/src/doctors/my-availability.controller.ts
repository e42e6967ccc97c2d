import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '@app/auth';
import { ApiProblems } from '@app/common';
import { AvailabilityService } from '@app/booking';
import { UserRole } from '@app/database';
import { AvailabilityDto, ReplaceAvailabilityDto } from './availability.dto';

@ApiTags('doctors')
@Auth(UserRole.Doctor)
@Controller('doctors/me/availability')
export class MyAvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get()
  @ApiOperation({ summary: 'Your weekly hours, in your time zone' })
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiProblems([404, 'NOT_FOUND: your account has no doctor profile'], 429)
  get(@CurrentUser() user: AuthUser): Promise<AvailabilityDto> {
    return this.availability.get(user.id);
  }

  @Put()
  @ApiOperation({
    summary: 'Replace your weekly hours',
    description: 'The whole week is replaced at once; existing appointments are kept.',
  })
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiProblems(
    [
      400,
      'VALIDATION_FAILED: bad HH:MM, end not after start, or overlapping rules on a day (see errors[])',
    ],
    [404, 'NOT_FOUND: your account has no doctor profile'],
    429,
  )
  replace(
    @CurrentUser() user: AuthUser,
    @Body() dto: ReplaceAvailabilityDto,
  ): Promise<AvailabilityDto> {
    return this.availability.replace(user.id, dto.rules);
  }
}
