import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import {
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/auth';
import { CalendarFeedService } from '@app/booking';
import { ApiProblems } from '@app/common';

/** RFC 9110 §13.1.2: weak comparison, a list of tags or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** The calendar feed itself: outside /api/v1, no bearer (the secret is the URL). */
@ApiTags('calendars')
@Public()
@Controller('calendar')
export class CalendarFeedController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get(':feed.ics')
  @ApiOperation({
    operationId: 'calendarFeed',
    summary: 'A calendar feed (iCalendar, RFC 5545)',
    description:
      'One VEVENT per appointment of the URL’s owner: UID `<appointmentId>@<host>`, SEQUENCE ' +
      'growing with every change, STATUS CONFIRMED / TENTATIVE / CANCELLED, times in UTC, ' +
      'SUMMARY the visit type and the other party, LOCATION the visit type’s. No reasons, ' +
      'intake answers or email addresses. Send If-None-Match with the last ETag for a 304.',
  })
  @ApiParam({
    // Not named "token": the URL is a capability, not a credential sent in a URL.
    name: 'feed',
    description: 'The secret part of the URL POST /me/calendar-feed gave',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', maxLength: 43 },
  })
  @ApiOkResponse({
    description: 'The feed',
    content: { 'text/calendar': { schema: { type: 'string' } } },
    headers: { ETag: { description: 'Of the feed’s content', schema: { type: 'string' } } },
  })
  @ApiNotModifiedResponse({ description: 'Unchanged since the ETag sent in If-None-Match' })
  @ApiProblems([404, 'NOT_FOUND: no feed has this URL (never issued, rotated or turned off)'], 429)
  async feed(
    @Param('feed') feed: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const answer = await this.feeds.feed(feed);
    // Personal: shared caches keep nothing, the client revalidates every time.
    reply.header('Cache-Control', 'private, no-cache').header('ETag', answer.etag);
    if (matches(ifNoneMatch, answer.etag)) {
      reply.code(304);
      return undefined;
    }
    reply.header('Content-Type', 'text/calendar; charset=utf-8');
    return answer.render();
  }
}
