import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '@app/auth';
import { BusyCalendarsService } from '@app/booking';
import { ApiItemsResponse, ApiProblems } from '@app/common';
import { UserRole } from '@app/database';
import { BusyCalendarDto, PutBusyCalendarsDto } from './calendars.dto';

@ApiTags('calendars')
@Auth(UserRole.Doctor)
@Controller('doctors/me/busy-calendars')
export class MyBusyCalendarsController {
  constructor(private readonly calendars: BusyCalendarsService) {}

  @Get()
  @ApiOperation({ summary: 'Your outside calendars and how their last fetch went' })
  @ApiItemsResponse(BusyCalendarDto)
  @ApiProblems(429)
  async list(@CurrentUser() user: AuthUser): Promise<{ items: BusyCalendarDto[] }> {
    return { items: await this.calendars.list(user.id) };
  }

  @Put()
  @ApiOperation({
    summary: 'Replace your outside calendars (iCalendar URLs whose events block slots)',
    description:
      'The worker fetches each URL right after this and every BUSY_CALENDAR_REFRESH_MINUTES; ' +
      'their busy times (recurrences expanded, all-day events in your zone; cancelled and ' +
      'free events ignored) block slots like time off, and booking one is 409 SLOT_TAKEN. ' +
      'A URL left out frees its times at once; a failed fetch keeps the last good times.',
  })
  @ApiItemsResponse(BusyCalendarDto)
  @ApiProblems([400, 'VALIDATION_FAILED: more than 5, a duplicate, or not an http(s) URL'], 429)
  async replace(
    @CurrentUser() user: AuthUser,
    @Body() dto: PutBusyCalendarsDto,
  ): Promise<{ items: BusyCalendarDto[] }> {
    return { items: await this.calendars.replace(user.id, dto.urls) };
  }
}
