import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser, GetProfile, UpdateProfile } from '@app/auth';
import { ApiProblems } from '@app/common';
import { UserDto } from '../auth/user.dto';
import { UpdateMeDto } from './update-me.dto';

@ApiTags('me')
@Auth()
@Controller('me')
export class MeController {
  constructor(
    private readonly getProfile: GetProfile,
    private readonly updateProfile: UpdateProfile,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your profile' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(429)
  get(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.getProfile.execute(user.id);
  }

  @Patch()
  @ApiOperation({ summary: 'Change your name, phone or time zone (not email or role)' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(
    [400, 'VALIDATION_FAILED, also for fields that cannot be changed (email, role)'],
    429,
  )
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<UserDto> {
    return this.updateProfile.execute(user.id, dto);
  }
}
