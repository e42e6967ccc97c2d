import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Public } from '@app/auth';
import { SpecialtyService } from '@app/booking';
import { ApiItemsResponse, ApiProblems } from '@app/common';
import { UserRole } from '@app/database';
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
  async list(): Promise<{ items: SpecialtyDto[] }> {
    return { items: await this.specialties.list() };
  }

  @Post()
  @Auth(UserRole.Admin)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Add a specialty (admin)' })
  @ApiCreatedResponse({ type: SpecialtyDto })
  @ApiProblems(400, [409, 'SPECIALTY_EXISTS: a specialty with this name (any case) exists'], 429)
  create(@Body() dto: CreateSpecialtyDto): Promise<SpecialtyDto> {
    return this.specialties.create(dto);
  }
}
