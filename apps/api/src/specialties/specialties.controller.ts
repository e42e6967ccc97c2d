import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Public } from '@app/auth';
import { SpecialtyService } from '@app/booking';
import { ApiItemsResponse, ApiProblems, IdParamPipe } from '@app/common';
import { UserRole } from '@app/database';
import { CreatedAt } from '../http/created-at.decorator';
import { PublicCache } from '../http/public-cache.decorator';
import { CreateSpecialtyDto, SpecialtyDto } from './specialty.dto';

@ApiTags('specialties')
@Controller('specialties')
export class SpecialtiesController {
  constructor(private readonly specialties: SpecialtyService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'All specialties, by name' })
  @ApiItemsResponse(SpecialtyDto)
  @ApiProblems(429)
  @PublicCache(60)
  async list(): Promise<{ items: SpecialtyDto[] }> {
    return { items: await this.specialties.list() };
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'One specialty' })
  @ApiOkResponse({ type: SpecialtyDto })
  @ApiProblems([404, 'NOT_FOUND: no specialty with this id (also for a malformed id)'], 429)
  @PublicCache(60)
  get(@Param('id', new IdParamPipe('Specialty')) id: string): Promise<SpecialtyDto> {
    return this.specialties.get(id);
  }

  @Post()
  @Auth(UserRole.Admin)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Add a specialty (admin)' })
  @CreatedAt(SpecialtyDto, 'specialties/{id}')
  @ApiProblems(400, [409, 'SPECIALTY_EXISTS: a specialty with this name (any case) exists'], 429)
  create(@Body() dto: CreateSpecialtyDto): Promise<SpecialtyDto> {
    return this.specialties.create(dto);
  }
}
