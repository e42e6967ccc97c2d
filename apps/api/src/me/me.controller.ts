import { Body, Controller, Delete, Get, HttpCode, Patch } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser, GetProfile, UpdateProfile } from '@app/auth';
import { ApiProblems } from '@app/common';
import { AuditAction, AuditResource } from '@app/core';
import { UserRole } from '@app/database';
import { EraseAccount, ExportPersonalData, type PersonalDataExport } from '@app/privacy';
import { AuditContext } from '../audit/audit-context.decorator';
import { AuditedChange } from '../audit/audited.decorator';
import { UserDto } from '../auth/user.dto';
import { EraseAccountDto, ErasureDto, PersonalDataExportDto } from './privacy.dto';
import { UpdateMeDto } from './update-me.dto';

@ApiTags('me')
@Auth()
@Controller('me')
export class MeController {
  constructor(
    private readonly getProfile: GetProfile,
    private readonly updateProfile: UpdateProfile,
    private readonly exportData: ExportPersonalData,
    private readonly eraseAccount: EraseAccount,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your profile' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(429)
  get(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.getProfile.execute(user.id);
  }

  @Patch()
  @ApiOperation({ summary: 'Change your name, phone, time zone or language (not email or role)' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(
    [400, 'VALIDATION_FAILED, also for fields that cannot be changed (email, role)'],
    429,
  )
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<UserDto> {
    return this.updateProfile.execute(user.id, dto);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Everything stored about you (profile, appointments with answers, payments, …)',
  })
  @ApiOkResponse({ type: PersonalDataExportDto })
  @ApiProblems(429)
  export(
    @CurrentUser() user: AuthUser,
    @AuditContext() audit: AuditContext,
  ): Promise<PersonalDataExport> {
    return this.exportData.execute(user.id, audit);
  }

  @Delete()
  @HttpCode(202)
  @Auth(UserRole.Patient)
  @AuditedChange(AuditAction.AccountErase, AuditResource.User)
  @ApiOperation({
    summary: 'Erase your account: future appointments cancelled, personal data anonymized',
  })
  @ApiAcceptedResponse({ type: ErasureDto })
  @ApiProblems(400, [403, 'FORBIDDEN: only for patients, or the password is not correct'], 429)
  erase(
    @CurrentUser() user: AuthUser,
    @Body() dto: EraseAccountDto,
    @AuditContext() audit: AuditContext,
  ): Promise<ErasureDto> {
    return this.eraseAccount.own(user, dto.password, audit);
  }
}
