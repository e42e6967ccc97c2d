import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '@app/auth';
import { VisitTypesService } from '@app/booking';
import { ApiItemsResponse, ApiProblems, IdParamPipe } from '@app/common';
import { UserRole } from '@app/database';
import { CreatedAt } from '../http/created-at.decorator';
import { CreateVisitTypeDto, UpdateVisitTypeDto, VisitTypeDto } from './visit-type.dto';

const uuid = new IdParamPipe('Visit type');

@ApiTags('doctors')
@Auth(UserRole.Doctor)
@Controller('doctors/me/visit-types')
export class MyVisitTypesController {
  constructor(private readonly visitTypes: VisitTypesService) {}

  @Get()
  @ApiOperation({ summary: 'Your visit types, archived ones included (last)' })
  @ApiItemsResponse(VisitTypeDto)
  @ApiProblems(429)
  async list(@CurrentUser() user: AuthUser): Promise<{ items: VisitTypeDto[] }> {
    return { items: await this.visitTypes.listOwn(user.id) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your visit types, archived or not' })
  @ApiOkResponse({ type: VisitTypeDto })
  @ApiProblems([404, 'NOT_FOUND: no visit type of yours with this id'], 429)
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<VisitTypeDto> {
    return this.visitTypes.getOwn(user.id, id);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Offer a new visit type',
    description:
      'Gets the next free `position` unless one is given, so what a booking without ' +
      '`visitTypeId` gets (the first active type) does not change.',
  })
  @CreatedAt(VisitTypeDto, 'doctors/me/visit-types/{id}')
  @ApiProblems(
    [400, 'VALIDATION_FAILED: a field out of range, a duplicate question key, bad options'],
    429,
  )
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateVisitTypeDto): Promise<VisitTypeDto> {
    return this.visitTypes.create(user.id, dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a visit type',
    description:
      'Applies to new bookings only: booked appointments keep their length, buffers, price, ' +
      'cutoff and the answers as asked.',
  })
  @ApiOkResponse({ type: VisitTypeDto })
  @ApiProblems(
    400,
    [404, 'NOT_FOUND: no visit type of yours with this id'],
    [409, 'LAST_VISIT_TYPE: `active: false` on your last active type'],
    429,
  )
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateVisitTypeDto,
  ): Promise<VisitTypeDto> {
    return this.visitTypes.update(user.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Archive a visit type',
    description: 'It is no longer offered; appointments booked with it keep it.',
  })
  @ApiNoContentResponse({ description: 'Archived' })
  @ApiProblems(
    [404, 'NOT_FOUND: no visit type of yours with this id'],
    [409, 'LAST_VISIT_TYPE: your last active type cannot be archived'],
    429,
  )
  remove(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string): Promise<void> {
    return this.visitTypes.archive(user.id, id);
  }
}
