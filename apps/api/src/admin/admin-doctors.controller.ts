import { Body, Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CreateDoctor } from '@app/auth';
import { ApiProblems } from '@app/common';
import { UserRole } from '@app/database';
import { CreateDoctorDto, CreatedDoctorDto } from './create-doctor.dto';
import { CreatedAt } from '../http/created-at.decorator';

@ApiTags('admin')
@Auth(UserRole.Admin)
@Controller('admin/doctors')
export class AdminDoctorsController {
  constructor(private readonly createDoctor: CreateDoctor) {}

  @Post()
  @ApiOperation({
    summary: 'Create a doctor account and profile; without a password, email a set-password link',
  })
  // The public profile: a new doctor is active at once.
  @CreatedAt(CreatedDoctorDto, 'doctors/{id}')
  @ApiProblems(
    400,
    [404, 'NOT_FOUND: a specialty id does not exist'],
    [409, 'EMAIL_TAKEN: an account with this email exists'],
    429,
  )
  create(@Body() dto: CreateDoctorDto): Promise<CreatedDoctorDto> {
    return this.createDoctor.execute(dto);
  }
}
