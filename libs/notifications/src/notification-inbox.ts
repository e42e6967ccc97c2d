import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, IsNull, Not } from 'typeorm';
import { NotFoundError, pageOffset, paginate, Paginated } from '@app/common';
import { Notification, NotificationChannel } from '@app/database';
import { NotificationView, toNotificationView } from './notification-view';

export interface InboxQuery {
  page: number;
  limit: number;
  /** true: unread only; false: read only; absent: all. */
  unread?: boolean;
}

/** Backlog sent to a reconnecting live stream at most. */
const REPLAY_LIMIT = 100;

/**
 * A user's in-app notifications. Every query names the owner, so another user's id finds
 * nothing rather than someone else's notification.
 */
@Injectable()
export class NotificationInbox {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(userId: string, query: InboxQuery): Promise<Paginated<NotificationView>> {
    const where: FindOptionsWhere<Notification> = this.owned(userId);
    if (query.unread !== undefined) where.readAt = query.unread ? IsNull() : Not(IsNull());
    const [rows, total] = await this.repository.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      ...pageOffset(query),
    });
    return paginate(rows.map(toNotificationView), total, query);
  }

  async unreadCount(userId: string): Promise<{ count: number }> {
    return { count: await this.repository.countBy({ ...this.owned(userId), readAt: IsNull() }) };
  }

  /** Idempotent: a second call keeps the time of the first read. */
  async markRead(userId: string, id: string): Promise<NotificationView> {
    await this.repository.update(
      { ...this.owned(userId), id, readAt: IsNull() },
      { readAt: () => 'now()' },
    );
    const notification = await this.repository.findOneBy({ ...this.owned(userId), id });
    if (!notification) throw new NotFoundError('Notification');
    return toNotificationView(notification);
  }

  async markAllRead(userId: string): Promise<{ updated: number }> {
    const result = await this.repository.update(
      { ...this.owned(userId), readAt: IsNull() },
      { readAt: () => 'now()' },
    );
    return { updated: result.affected ?? 0 };
  }

  /**
   * What a reconnecting stream missed after `lastId`, oldest first. Rows stored together
   * share their time, so those siblings come again: clients drop ids they already have.
   */
  async since(userId: string, lastId: string): Promise<NotificationView[]> {
    const rows = await this.repository
      .createQueryBuilder('n')
      .innerJoin(
        Notification,
        'last',
        'last.id = :lastId AND last.userId = n.userId AND last.channel = n.channel',
        {
          lastId,
        },
      )
      .where('n.userId = :userId AND n.channel = :channel', {
        userId,
        channel: NotificationChannel.InApp,
      })
      .andWhere('n.createdAt >= last.createdAt AND n.id <> last.id')
      .orderBy('n.createdAt', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(REPLAY_LIMIT)
      .getMany();
    return rows.map(toNotificationView);
  }

  private get repository() {
    return this.db.getRepository(Notification);
  }

  private owned(userId: string): FindOptionsWhere<Notification> {
    return { userId, channel: NotificationChannel.InApp };
  }
}
