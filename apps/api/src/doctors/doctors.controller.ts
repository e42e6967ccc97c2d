import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { DoctorDirectoryService, formatInstant, SlotService } from '@app/booking';
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

@ApiTags('doctors')
@Public()
@Controller('doctors')
export class DoctorsController {
  constructor(
    private readonly directory: DoctorDirectoryService,
    private readonly slots: SlotService,
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

  @Get(':id/slots')
  @ApiOperation({
    summary: 'Free slots of a doctor',
    description:
      'Slots between two dates of the doctor’s time zone (both included, at most 31 days), sorted. ' +
      'Booked and held slots, time off, anything before now + minimum notice or past the booking ' +
      'horizon are left out. Wall-clock hours hold across daylight-saving changes.',
  })
  @ApiItemsResponse(SlotDto)
  @ApiProblems(
    [400, 'VALIDATION_FAILED: malformed date, from after to, or more than 31 days'],
    [404, 'NOT_FOUND: no active doctor with this id'],
    429,
  )
  // Seconds: a booking elsewhere takes a slot at any moment.
  @PublicCache(5)
  async freeSlots(
    @Param('id', new IdParamPipe('Doctor')) id: string,
    @Query() query: SlotsQueryDto,
  ): Promise<{ items: SlotDto[] }> {
    const slots = await this.slots.freeSlots(id, query.from, query.to);
    return {
      items: slots.map((slot) => ({
        startsAt: formatInstant(slot.start.getTime()),
        endsAt: formatInstant(slot.end.getTime()),
      })),
    };
  }
}
