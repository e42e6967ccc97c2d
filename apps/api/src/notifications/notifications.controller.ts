import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  Auth,
  type AuthUser,
  BEARER_SCHEME,
  CurrentUser,
  Public,
  STREAM_TICKET_SCHEME,
} from '@app/auth';
import { ApiPaginatedResponse, ApiProblems, IdParamPipe, Paginated } from '@app/common';
import { UserRole } from '@app/database';
import { NotificationInbox, SendAnnouncementUseCase, StreamTickets } from '@app/notifications';
import {
  AnnouncementResultDto,
  CreateAnnouncementDto,
  ListNotificationsQueryDto,
  NotificationDto,
  ReadAllResultDto,
  StreamQueryDto,
  StreamTicketDto,
  UnreadCountDto,
} from './notification.dto';
import { NotificationStreamGuard } from './notification-stream.guard';
import { NotificationStreams } from './notification-streams';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly inbox: NotificationInbox,
    private readonly tickets: StreamTickets,
    private readonly streams: NotificationStreams,
    private readonly announcements: SendAnnouncementUseCase,
  ) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'Your in-app notifications, newest first' })
  @ApiPaginatedResponse(NotificationDto)
  @ApiProblems(400, 429)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<Paginated<NotificationDto>> {
    return this.inbox.list(user.id, query);
  }

  @Get('unread-count')
  @Auth()
  @ApiOperation({ summary: 'How many of your in-app notifications are unread' })
  @ApiOkResponse({ type: UnreadCountDto })
  @ApiProblems(429)
  unreadCount(@CurrentUser() user: AuthUser): Promise<UnreadCountDto> {
    return this.inbox.unreadCount(user.id);
  }

  @Post('read-all')
  @Auth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all your in-app notifications read' })
  @ApiOkResponse({ type: ReadAllResultDto, description: 'How many were unread' })
  @ApiProblems(429)
  readAll(@CurrentUser() user: AuthUser): Promise<ReadAllResultDto> {
    return this.inbox.markAllRead(user.id);
  }

  @Post(':id/read')
  @Auth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of your notifications read (again: no change)' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblems([404, 'NOT_FOUND: no such notification of yours'], 429)
  read(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParamPipe('Notification')) id: string,
  ): Promise<NotificationDto> {
    return this.inbox.markRead(user.id, id);
  }

  @Post('stream-ticket')
  @Auth()
  @ApiOperation({
    summary: 'A single-use ticket for the live stream (valid 60 s)',
    description:
      'For browsers: EventSource cannot send an Authorization header, so open `GET /notifications/stream?ticket=<ticket>`.',
  })
  @ApiCreatedResponse({ type: StreamTicketDto })
  @ApiProblems(429)
  streamTicket(@CurrentUser() user: AuthUser): Promise<StreamTicketDto> {
    return this.tickets.issue(user.id);
  }

  // Public to the global guard: the stream authenticates itself (bearer header or ticket).
  @Get('stream')
  @Public()
  @UseGuards(NotificationStreamGuard)
  @ApiOperation({
    summary: 'Live stream of your new in-app notifications (Server-Sent Events)',
    description:
      'Each new notification is an `event: notification` with an `id:` (the notification id) and the ' +
      'notification as JSON `data:`; a comment line is sent every 15 s to keep the connection open. ' +
      'Authenticate with the bearer header or with `?ticket=` from `POST /notifications/stream-ticket` ' +
      '(EventSource cannot send headers). `Last-Event-ID` (sent by EventSource on reconnect) or ' +
      '`?lastEventId=` replays what came after that notification.',
  })
  // Either scheme: two entries of `security` are alternatives.
  @ApiBearerAuth(BEARER_SCHEME)
  @ApiSecurity(STREAM_TICKET_SCHEME)
  @ApiHeader({
    name: 'last-event-id',
    required: false,
    description: 'Id of the last notification received',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless text/event-stream',
    content: {
      'text/event-stream': {
        schema: {
          type: 'string',
          example:
            'id: <uuid>\nevent: notification\ndata: {"id":"<uuid>","type":"announcement",...}\n\n',
        },
      },
    },
  })
  @ApiProblems(
    [401, 'No valid bearer token or ticket (a ticket works once)'],
    [400, 'VALIDATION_FAILED: lastEventId is not a notification id'],
    429,
  )
  stream(
    @CurrentUser() user: AuthUser,
    @Query() query: StreamQueryDto,
    @Res() reply: FastifyReply,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    return this.streams.open(user.id, reply, lastEventId ?? query.lastEventId);
  }

  @Post('announcements')
  @Auth(UserRole.Doctor, UserRole.Admin)
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a message by hand (email and in-app) to patients, or to everyone',
    description:
      'A doctor reaches their own patients with a live appointment starting in [from, to) (default: ' +
      "every future one). An admin names `doctorId` for that doctor's patients, or omits it: with " +
      '`from`/`to` the patients of every doctor in that range, without them every active user.',
  })
  @ApiAcceptedResponse({ type: AnnouncementResultDto })
  @ApiProblems(
    [400, 'VALIDATION_FAILED: missing or too long title/body, malformed or reversed from/to'],
    [404, 'NOT_FOUND: doctorId names no doctor'],
    429,
  )
  announce(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateAnnouncementDto,
  ): Promise<AnnouncementResultDto> {
    return this.announcements.execute(user, dto);
  }
}
