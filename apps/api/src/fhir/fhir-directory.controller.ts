import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Bundle, CapabilityStatement, Practitioner, Schedule, Slot } from '@medplum/fhirtypes';
import { Public } from '@app/auth';
import { ApiProblems, IdParamPipe } from '@app/common';
import { PublicCache } from '../http/public-cache.decorator';
import { ApiFhirResponse, ApiFhirSearchResponse } from './fhir-openapi';
import { FhirRequest, FhirRequestContext } from './fhir-request.decorator';
import { PractitionerSearchDto, ScheduleSearchDto, SlotSearchDto } from './fhir-search.dto';
import { FhirService } from './fhir.service';

/** The public side of the FHIR facade: what /api/v1/doctors shows to anyone. */
@ApiTags('fhir')
@Public()
@Controller('fhir/R4')
export class FhirDirectoryController {
  constructor(private readonly fhir: FhirService) {}

  @Get('metadata')
  @ApiOperation({
    summary: 'FHIR CapabilityStatement',
    description: 'Exactly the resources, interactions and search parameters served under /fhir/R4.',
  })
  @ApiFhirResponse('FhirCapabilityStatement', 'The CapabilityStatement')
  @ApiProblems(429)
  @PublicCache(300)
  metadata(@FhirRequest() ctx: FhirRequestContext): CapabilityStatement {
    return this.fhir.capabilities(ctx);
  }

  @Get('Practitioner')
  @ApiOperation({
    summary: 'FHIR: search doctors',
    description: 'Listed doctors by family then given name, as GET /api/v1/doctors?q=.',
  })
  @ApiFhirSearchResponse('FhirPractitioner')
  @ApiProblems(400, 429)
  @PublicCache(60)
  searchPractitioners(
    @Query() query: PractitionerSearchDto,
    @FhirRequest() ctx: FhirRequestContext,
  ): Promise<Bundle<Practitioner>> {
    return this.fhir.searchPractitioners(query, ctx);
  }

  @Get('Practitioner/:id')
  @ApiOperation({ summary: 'FHIR: a doctor', description: 'id = the doctor’s id in /api/v1.' })
  @ApiFhirResponse('FhirPractitioner', 'The Practitioner')
  @ApiProblems([404, 'not-found: no listed doctor with this id'], 429)
  @PublicCache(60)
  practitioner(@Param('id', new IdParamPipe('Practitioner')) id: string): Promise<Practitioner> {
    return this.fhir.practitioner(id);
  }

  @Get('Schedule')
  @ApiOperation({
    summary: 'FHIR: a doctor’s schedules',
    description:
      'One Schedule per active visit type of the doctor, in booking order (id = the visit type’s id, serviceType text = its name). A doctor who is not listed has none.',
  })
  @ApiFhirSearchResponse('FhirSchedule')
  @ApiProblems([400, 'invalid: actor is not Practitioner/<id>'], 429)
  @PublicCache(60)
  searchSchedules(
    @Query() query: ScheduleSearchDto,
    @FhirRequest() ctx: FhirRequestContext,
  ): Promise<Bundle<Schedule>> {
    return this.fhir.searchSchedules(query, ctx);
  }

  @Get('Slot')
  @ApiOperation({
    summary: 'FHIR: free slots of a schedule',
    description:
      'The free starts of the visit type between the two `start` bounds (at most 31 days), computed by the same slot engine as GET /api/v1/doctors/{id}/slots, so the same starts. Status free; id = `<visitTypeId>.<epochSeconds>`, stable for a start.',
  })
  @ApiFhirSearchResponse('FhirSlot')
  @ApiProblems([400, 'invalid: schedule or start missing or malformed, or more than 31 days'], 429)
  // Seconds: a booking elsewhere takes a slot at any moment.
  @PublicCache(5)
  searchSlots(
    @Query() query: SlotSearchDto,
    @FhirRequest() ctx: FhirRequestContext,
  ): Promise<Bundle<Slot>> {
    return this.fhir.searchSlots(query, ctx);
  }
}
