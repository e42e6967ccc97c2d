import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import {
  DoctorDirectoryService,
  formatInstant,
  SlotService,
  VisitTypesService,
} from '@app/booking';
import {
  ApiItemsResponse,
  ApiPaginatedResponse,
  ApiProblems,
  IdParamPipe,
  Paginated,
} from '@app/common';
import { PublicCache } from '../http/public-cache.decorator';
import { DoctorSearchQueryDto, PublicDoctorDto } from './doctor.dto';
import { SlotDto, SlotsQueryDto } from './slot.dto';
import { VisitTypeDto } from './visit-type.dto';

@ApiTags('doctors')
@Public()
@Controller('doctors')
export class DoctorsController {
  constructor(
    private readonly directory: DoctorDirectoryService,
    private readonly slots: SlotService,
    private readonly visitTypes: VisitTypesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Search doctors',
    description: 'Active doctors by last and first name; filter by specialty id and name words.',
  })
  @ApiPaginatedResponse(PublicDoctorDto)
  @ApiProblems(400, 429)
  @PublicCache(60)
  search(@Query() query: DoctorSearchQueryDto): Promise<Paginated<PublicDoctorDto>> {
    return this.directory.search(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A doctor’s public profile' })
  @ApiOkResponse({ type: PublicDoctorDto })
  @ApiProblems([404, 'NOT_FOUND: no active doctor with this id (also for a malformed id)'], 429)
  @PublicCache(60)
  get(@Param('id', new IdParamPipe('Doctor')) id: string): Promise<PublicDoctorDto> {
    return this.directory.get(id);
  }

  @Get(':id/visit-types')
  @ApiOperation({
    summary: 'What a doctor offers',
    description:
      'Active visit types, by `position` then name. A booking without `visitTypeId` gets the first active type: the lowest `position`, then the oldest.',
  })
  @ApiItemsResponse(VisitTypeDto)
  @ApiProblems([404, 'NOT_FOUND: no active doctor with this id'], 429)
  @PublicCache(60)
  async listVisitTypes(
    @Param('id', new IdParamPipe('Doctor')) id: string,
  ): Promise<{ items: VisitTypeDto[] }> {
    return { items: await this.visitTypes.listPublic(id) };
  }

  @Get(':id/slots')
  @ApiOperation({
    summary: 'Free slots of a doctor',
    description:
      'Starts of one visit type (default: the doctor’s first active type) between two dates of ' +
      'the doctor’s time zone (both included, at most 31 days), sorted. A start lies on the ' +
      'doctor’s grid (every `slotDurationMinutes` from the start of each weekly window), its ' +
      'visit fits inside one window and outside time off, and its blocked range (the visit ' +
      'widened by the type’s buffers) overlaps no other live appointment’s. Anything before ' +
      'now + minimum notice or past the booking horizon is left out. Wall-clock hours hold ' +
      'across daylight-saving changes.',
  })
  @ApiItemsResponse(SlotDto)
  @ApiProblems(
    [400, 'VALIDATION_FAILED: malformed date, from after to, or more than 31 days'],
    [404, 'NOT_FOUND: no active doctor with this id'],
    [422, 'INVALID_VISIT_TYPE: not an active visit type of this doctor'],
    429,
  )
  // Seconds: a booking elsewhere takes a slot at any moment.
  @PublicCache(5)
  async freeSlots(
    @Param('id', new IdParamPipe('Doctor')) id: string,
    @Query() query: SlotsQueryDto,
  ): Promise<{ items: SlotDto[] }> {
    const { visitType, slots } = await this.slots.freeSlots(
      id,
      query.from,
      query.to,
      query.visitTypeId,
    );
    return {
      items: slots.map((slot) => ({
        startsAt: formatInstant(slot.start.getTime()),
        endsAt: formatInstant(slot.end.getTime()),
        visitTypeId: visitType.id,
      })),
    };
  }
}
