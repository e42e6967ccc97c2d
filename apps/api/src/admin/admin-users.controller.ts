import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Query,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser, ListUsers, UpdateUser } from '@app/auth';
import { ApiPaginatedResponse, ApiProblems, Paginated } from '@app/common';
import { AuditAction, AuditResource } from '@app/core';
import { UserRole } from '@app/database';
import { EraseAccount } from '@app/privacy';
import { AuditContext } from '../audit/audit-context.decorator';
import { AuditedChange } from '../audit/audited.decorator';
import { UserDto } from '../auth/user.dto';
import { ErasureDto } from '../me/privacy.dto';
import { ListUsersQueryDto, UpdateUserDto } from './admin-users.dto';

@ApiTags('admin')
@Auth(UserRole.Admin)
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly listUsers: ListUsers,
    private readonly updateUser: UpdateUser,
    private readonly eraseAccount: EraseAccount,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List and search accounts, newest first' })
  @ApiPaginatedResponse(UserDto)
  @ApiProblems(400, 429)
  list(@Query() query: ListUsersQueryDto): Promise<Paginated<UserDto>> {
    return this.listUsers.execute(query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Deactivate or reactivate an account' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404, [409, 'CONFLICT: an admin cannot deactivate their own account'], 429)
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.updateUser.execute(admin.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(202)
  @AuditedChange(AuditAction.AccountErase, AuditResource.User)
  @ApiOperation({
    summary: 'Erase an account: its future appointments cancelled, its personal data anonymized',
  })
  @ApiAcceptedResponse({ type: ErasureDto })
  @ApiProblems(400, 404, [409, 'CONFLICT: an admin cannot erase their own account'], 429)
  erase(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @AuditContext() audit: AuditContext,
  ): Promise<ErasureDto> {
    return this.eraseAccount.byAdmin(admin, id, audit);
  }
}
