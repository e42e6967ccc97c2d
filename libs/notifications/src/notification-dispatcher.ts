import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { NotificationChannel } from '@app/database';
import { recordJobs, RedisService } from '@app/queues';
import { notificationEmailJob } from './jobs/notification-email.job';
import { liveChannel, LiveNotificationMessage } from './live-notifications';
import type { NotificationDraft } from './message';

interface InsertedRow {
  id: string;
  user_id: string;
  channel: NotificationChannel;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * Stores drafts as notification rows (one per recipient and channel, unique by key) with
 * their email jobs, and announces in-app rows live. Safe to run again for the same drafts.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly logger = new Logger(NotificationDispatcher.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
  ) {}

  async dispatch(eventId: string | null, drafts: NotificationDraft[]): Promise<number> {
    if (drafts.length === 0) return 0;
    const rows = drafts.flatMap((draft) =>
      draft.channels.map((channel) => ({
        dedupeKey: `${draft.dedupeKey}:${channel}`,
        userId: draft.userId,
        eventId,
        channel: channel === 'email' ? NotificationChannel.Email : NotificationChannel.InApp,
        type: draft.type,
        title: draft.content.subject,
        body: draft.content.paragraphs.join('\n\n'),
        data:
          channel === 'email'
            ? { content: draft.content, calendar: draft.calendar ?? null }
            : draft.data,
      })),
    );
    const inserted = await this.db.transaction(async (manager) => {
      const inserted: InsertedRow[] = await manager.query(
        `INSERT INTO notifications (dedupe_key, user_id, event_id, channel, type, title, body, data)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS r(dedupe_key text, user_id uuid, event_id uuid, channel notification_channel, type text, title text, body text, data jsonb)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, user_id, channel, type, title, body, data, created_at`,
        [
          JSON.stringify(
            rows.map((r) => ({
              dedupe_key: r.dedupeKey,
              user_id: r.userId,
              event_id: r.eventId,
              channel: r.channel,
              type: r.type,
              title: r.title,
              body: r.body,
              data: r.data,
            })),
          ),
        ],
      );
      // The email job is recorded with its row: it exists exactly when the notification does.
      await recordJobs(
        manager,
        inserted
          .filter((row) => row.channel === NotificationChannel.Email)
          .map((row) => notificationEmailJob.with({ notificationId: row.id })),
      );
      return inserted;
    });
    await this.announceLive(inserted.filter((row) => row.channel === NotificationChannel.InApp));
    return inserted.length;
  }

  private async announceLive(rows: InsertedRow[]): Promise<void> {
    const channel = liveChannel(this.config.redis.queuePrefix);
    for (const row of rows) {
      const message: LiveNotificationMessage = {
        userId: row.user_id,
        notification: {
          id: row.id,
          type: row.type,
          title: row.title,
          body: row.body,
          data: row.data,
          readAt: null,
          createdAt: new Date(row.created_at).toISOString(),
        },
      };
      await this.redis.client.publish(channel, JSON.stringify(message)).catch((error: Error) => {
        // The list endpoint stays the source of truth; live delivery is best effort.
        this.logger.warn(`Live notification not published: ${error.message}`);
      });
    }
  }
}
