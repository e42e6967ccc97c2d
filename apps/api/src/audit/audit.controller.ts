import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '@app/auth';
import { ApiPaginatedResponse, ApiProblems, paginate, Paginated } from '@app/common';
import { AuditTrail } from '@app/core';
import { UserRole } from '@app/database';
import { AuditLogDto, AuditQueryDto } from './audit.dto';

@ApiTags('admin')
@Controller('admin/audit')
@Auth(UserRole.Admin)
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @ApiOperation({
    summary: 'Read the audit trail of appointments and payments',
    operationId: 'listAudit',
  })
  @ApiPaginatedResponse(AuditLogDto)
  @ApiProblems(400, 429)
  async list(@Query() query: AuditQueryDto): Promise<Paginated<AuditLogDto>> {
    const [rows, total] = await this.audit.list(query);
    return paginate(rows.map(AuditLogDto.from), total, query);
  }
}
