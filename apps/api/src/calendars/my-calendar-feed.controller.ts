import { Controller, Delete, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '@app/auth';
import { CalendarFeedService } from '@app/booking';
import { ApiProblems } from '@app/common';
import { CalendarFeedDto } from './calendars.dto';

@ApiTags('calendars')
@Auth()
@Controller('me/calendar-feed')
export class MyCalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Get a secret calendar-feed URL (rotates it)',
    description:
      'A subscribable iCalendar URL of your appointments, from 30 days ago to the booking ' +
      'horizon. Calling it again issues a new URL: the old one answers 404 from then on.',
  })
  @ApiCreatedResponse({ type: CalendarFeedDto })
  @ApiProblems(429)
  issue(@CurrentUser() user: AuthUser): Promise<CalendarFeedDto> {
    return this.feeds.issue(user.id);
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Turn the calendar feed off (its URL answers 404)' })
  @ApiNoContentResponse({ description: 'Turned off (also when it was off)' })
  @ApiProblems(429)
  revoke(@CurrentUser() user: AuthUser): Promise<void> {
    return this.feeds.revoke(user.id);
  }
}
