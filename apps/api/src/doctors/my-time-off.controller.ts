import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '@app/auth';
import { TimeOffService } from '@app/booking';
import { ApiItemsResponse, ApiProblems, IdParamPipe } from '@app/common';
import { UserRole } from '@app/database';
import { CreateTimeOffDto, TimeOffCreatedDto, TimeOffDto } from './time-off.dto';
import { CreatedAt } from '../http/created-at.decorator';

@ApiTags('doctors')
@Auth(UserRole.Doctor)
@Controller('doctors/me/time-off')
export class MyTimeOffController {
  constructor(private readonly timeOff: TimeOffService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Take time off',
    description:
      'Blocks slots in [startsAt, endsAt). Live appointments inside the range are listed in ' +
      '`affectedAppointments` and stay booked until you cancel or reschedule them.',
  })
  @CreatedAt(TimeOffCreatedDto, 'doctors/me/time-off/{timeOff.id}')
  @ApiProblems(
    [400, 'VALIDATION_FAILED: not ISO instants, end not after start, or end in the past'],
    429,
  )
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTimeOffDto): Promise<TimeOffCreatedDto> {
    return this.timeOff.create(user.id, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Your current and upcoming time off, soonest first' })
  @ApiItemsResponse(TimeOffDto)
  @ApiProblems(429)
  async list(@CurrentUser() user: AuthUser): Promise<{ items: TimeOffDto[] }> {
    return { items: await this.timeOff.list(user.id) };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Cancel time off; its slots become free again' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems([404, 'NOT_FOUND: no time off of yours with this id'], 429)
  remove(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParamPipe('Time off')) id: string,
  ): Promise<void> {
    return this.timeOff.remove(user.id, id);
  }
}
