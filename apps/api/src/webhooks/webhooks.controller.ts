import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, AuthUser, CurrentUser } from '@app/auth';
import {
  ApiPaginatedResponse,
  ApiProblems,
  IdParamPipe,
  paginate,
  Paginated,
  PaginationQueryDto,
} from '@app/common';
import { UserRole } from '@app/database';
import { WebhookDeliveries, WebhookEndpoints } from '@app/webhooks';
import { CreatedAt } from '../http/created-at.decorator';
import {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookWithSecretDto,
} from './webhook.dto';

const webhookUuid = new IdParamPipe('Webhook');
const deliveryUuid = new IdParamPipe('Webhook delivery');
const NOT_YOURS: [404, string] = [404, 'Unknown webhook, or not yours'];
const URL_REFUSED =
  'VALIDATION_FAILED: invalid input, or a url that is not https or points at a loopback, private or link-local address';

@ApiTags('webhooks')
@Controller('webhooks')
@Auth(UserRole.Doctor, UserRole.Admin)
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  /** A doctor's endpoint receives the events of the doctor's own appointments; an admin's, all. */
  @Post()
  @ApiOperation({ summary: 'Register a webhook endpoint', operationId: 'createWebhook' })
  @CreatedAt(WebhookWithSecretDto, 'webhooks/{id}')
  @ApiProblems([400, URL_REFUSED], 429)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateWebhookDto,
  ): Promise<WebhookWithSecretDto> {
    return WebhookWithSecretDto.withSecret(await this.endpoints.create(user, body));
  }

  @Get()
  @ApiOperation({
    summary: 'List webhook endpoints (yours; all for admins)',
    operationId: 'listWebhooks',
  })
  @ApiPaginatedResponse(WebhookDto)
  @ApiProblems(400, 429)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<WebhookDto>> {
    const [items, total] = await this.endpoints.list(user, query);
    return paginate(items.map(WebhookDto.from), total, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a webhook endpoint', operationId: 'getWebhook' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems(400, NOT_YOURS, 429)
  async get(
    @CurrentUser() user: AuthUser,
    @Param('id', webhookUuid) id: string,
  ): Promise<WebhookDto> {
    return WebhookDto.from(await this.endpoints.get(user, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook endpoint', operationId: 'updateWebhook' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems([400, URL_REFUSED], NOT_YOURS, 429)
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', webhookUuid) id: string,
    @Body() body: UpdateWebhookDto,
  ): Promise<WebhookDto> {
    return WebhookDto.from(await this.endpoints.update(user, id, body));
  }

  /** Deletes the endpoint and its delivery log; nothing more is sent to it. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint', operationId: 'deleteWebhook' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, NOT_YOURS, 429)
  async remove(@CurrentUser() user: AuthUser, @Param('id', webhookUuid) id: string): Promise<void> {
    await this.endpoints.remove(user, id);
  }

  /** The old secret keeps signing beside the new one for 24 hours (two signatures in `webhook-signature`). */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the signing secret', operationId: 'rotateWebhookSecret' })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  @ApiProblems(400, NOT_YOURS, 429)
  async rotate(
    @CurrentUser() user: AuthUser,
    @Param('id', webhookUuid) id: string,
  ): Promise<WebhookWithSecretDto> {
    return WebhookWithSecretDto.withSecret(await this.endpoints.rotateSecret(user, id));
  }

  /** Newest first; kept 30 days. */
  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'List the deliveries of a webhook endpoint',
    operationId: 'listWebhookDeliveries',
  })
  @ApiPaginatedResponse(WebhookDeliveryDto)
  @ApiProblems(400, NOT_YOURS, 429)
  async listDeliveries(
    @CurrentUser() user: AuthUser,
    @Param('id', webhookUuid) id: string,
    @Query() query: PaginationQueryDto,
  ): Promise<Paginated<WebhookDeliveryDto>> {
    const [items, total] = await this.deliveries.list(user, id, query);
    return paginate(items.map(WebhookDeliveryDto.from), total, query);
  }

  /** Sends the same event again, same `webhook-id` and body, as a new attempt of that delivery. */
  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Redeliver an event', operationId: 'redeliverWebhook' })
  @ApiParam({ name: 'deliveryId', schema: { type: 'string', format: 'uuid' } })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(400, [404, 'Unknown webhook or delivery, or not yours'], 429)
  async redeliver(
    @CurrentUser() user: AuthUser,
    @Param('id', webhookUuid) id: string,
    @Param('deliveryId', deliveryUuid) deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    return WebhookDeliveryDto.from(await this.deliveries.redeliver(user, id, deliveryId));
  }

  /** Sends a `webhook.test` event to this endpoint; see its delivery in the log. */
  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a test event', operationId: 'testWebhook' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiProblems(400, NOT_YOURS, 429)
  async test(
    @CurrentUser() user: AuthUser,
    @Param('id', webhookUuid) id: string,
  ): Promise<WebhookDeliveryDto> {
    return WebhookDeliveryDto.from(await this.deliveries.sendTest(user, id));
  }
}
