import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, type AuthUser, CurrentUser } from '@app/auth';
import { ApiProblems } from '@app/common';
import { UserRole } from '@app/database';
import { BOARD_ROUTE, BOARD_SESSION_COOKIE, BoardAccess } from './board-access';
import { BoardSessionDto } from './board-session.dto';

@ApiTags('admin')
@Controller(BOARD_ROUTE.slice(1))
export class QueuesBoardController {
  constructor(private readonly access: BoardAccess) {}

  @Post('session')
  @Auth(UserRole.Admin)
  @ApiOperation({
    summary: 'Open Bull Board in this browser for 15 minutes',
    description:
      `Sets an HttpOnly, SameSite=Strict cookie \`${BOARD_SESSION_COOKIE}\` scoped to \`${BOARD_ROUTE}\` ` +
      `(Secure over https); then open \`${BOARD_ROUTE}\`. A bearer header works on the board too.`,
  })
  @ApiCreatedResponse({
    type: BoardSessionDto,
    headers: {
      'Set-Cookie': { description: 'The board session cookie', schema: { type: 'string' } },
    },
  })
  @ApiProblems(429)
  open(
    @CurrentUser() admin: AuthUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BoardSessionDto> {
    return this.access.openSession(admin, request, reply);
  }
}
