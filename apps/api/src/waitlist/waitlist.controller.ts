import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import { WaitlistService } from '@app/booking';
import { ApiItemsResponse, ApiProblems, IdParamPipe } from '@app/common';
import { UserRole } from '@app/database';
import { JoinWaitlistDto, WaitlistEntryDto } from './waitlist.dto';
import { CreatedAt } from '../http/created-at.decorator';

@ApiTags('waitlist')
@Controller('waitlist')
@Auth(UserRole.Patient)
export class WaitlistController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Post()
  @ApiOperation({
    summary: 'Wait for a slot of a doctor in a date range',
    description:
      'When a slot in the range frees up (cancellation, expired hold, new hours), you get an email and an in-app notification. ' +
      'An active entry for the same doctor, from and to is answered 409 WAITLIST_DUPLICATE.',
  })
  @CreatedAt(WaitlistEntryDto, 'waitlist/{id}')
  @ApiProblems(
    [404, 'Unknown doctor'],
    [400, 'VALIDATION_FAILED: reversed, past or too distant dates, or too many active entries'],
    [409, 'WAITLIST_DUPLICATE: you already have an active entry for this doctor and these dates'],
    429,
  )
  async join(
    @CurrentUser() user: AuthUser,
    @Body() dto: JoinWaitlistDto,
  ): Promise<WaitlistEntryDto> {
    return WaitlistEntryDto.from(await this.waitlist.join(user, dto));
  }

  @Get()
  @ApiOperation({ summary: 'Your active waitlist entries' })
  @ApiItemsResponse(WaitlistEntryDto)
  @ApiProblems(429)
  async list(@CurrentUser() user: AuthUser): Promise<{ items: WaitlistEntryDto[] }> {
    return { items: (await this.waitlist.list(user)).map(WaitlistEntryDto.from) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave a waitlist' })
  @ApiNoContentResponse()
  @ApiProblems(404, 429)
  async leave(
    @CurrentUser() user: AuthUser,
    @Param('id', new IdParamPipe('Waitlist entry')) id: string,
  ): Promise<void> {
    await this.waitlist.leave(user, id);
  }
}
