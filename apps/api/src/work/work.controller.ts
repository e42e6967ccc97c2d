import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '@app/auth';
import {
  ApiPaginatedResponse,
  ApiProblems,
  IdParamPipe,
  NotFoundError,
  paginate,
  Paginated,
} from '@app/common';
import { UserRole } from '@app/database';
import { WorkItems } from '@app/queues';
import { WorkItemDto, WorkQueryDto } from './work.dto';

@ApiTags('admin')
@Controller('admin/work')
@Auth(UserRole.Admin)
export class WorkController {
  constructor(private readonly work: WorkItems) {}

  /** Background work (emails, refunds, webhooks, events) by state; `state=failed` is what needs a person. */
  @Get()
  @ApiOperation({ summary: 'List background work', operationId: 'listWork' })
  @ApiPaginatedResponse(WorkItemDto)
  @ApiProblems(400, 429)
  async list(@Query() query: WorkQueryDto): Promise<Paginated<WorkItemDto>> {
    const { items, total } = await this.work.list(query);
    return paginate(items.map(WorkItemDto.from), total, query);
  }

  /** Sends failed work round again with a fresh deadline; other states are answered unchanged. */
  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry failed background work', operationId: 'retryWork' })
  @ApiOkResponse({ type: WorkItemDto })
  @ApiProblems(400, 404, 429)
  async retry(@Param('id', new IdParamPipe('Work item')) id: string): Promise<WorkItemDto> {
    const item = await this.work.retryFailed(id);
    if (!item) throw new NotFoundError('Work item');
    return WorkItemDto.from(item);
  }
}
