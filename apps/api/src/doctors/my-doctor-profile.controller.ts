import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser } from '@app/auth';
import { ApiProblems } from '@app/common';
import { DoctorDirectoryService, DoctorProfileService } from '@app/booking';
import { UserRole } from '@app/database';
import { PublicDoctorDto, UpdateDoctorProfileDto } from './doctor.dto';

@ApiTags('doctors')
@Auth(UserRole.Doctor)
@Controller('doctors/me')
export class MyDoctorProfileController {
  constructor(
    private readonly directory: DoctorDirectoryService,
    private readonly profiles: DoctorProfileService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your doctor profile, as patients see it' })
  @ApiOkResponse({ type: PublicDoctorDto })
  @ApiProblems([404, 'NOT_FOUND: your account has no doctor profile'], 429)
  get(@CurrentUser() user: AuthUser): Promise<PublicDoctorDto> {
    return this.directory.own(user.id);
  }

  @Patch()
  @ApiOperation({ summary: 'Change your bio, specialties, fee, slot duration or time zone' })
  @ApiOkResponse({ type: PublicDoctorDto })
  @ApiProblems(
    [
      400,
      'VALIDATION_FAILED: unknown specialty, bad fee, duration outside 5–240, unknown time zone',
    ],
    [404, 'NOT_FOUND: your account has no doctor profile'],
    429,
  )
  update(
    @CurrentUser() user: AuthUser,
    @Body() dto: UpdateDoctorProfileDto,
  ): Promise<PublicDoctorDto> {
    return this.profiles.update(user.id, dto);
  }
}
