import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthUser, CurrentUser, ListUsers, UpdateUser } from '@app/auth';
import { ApiPaginatedResponse, ApiProblems, Paginated } from '@app/common';
import { UserRole } from '@app/database';
import { UserDto } from '../auth/user.dto';
import { ListUsersQueryDto, UpdateUserDto } from './admin-users.dto';

@ApiTags('admin')
@Auth(UserRole.Admin)
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly listUsers: ListUsers,
    private readonly updateUser: UpdateUser,
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
}
