import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { defineJob, JobHandler, QueueName, recordJobs } from '@app/queues';
import { AnnouncementAudience, type AudienceCriteria } from '../announcement-audience';
import { NotificationDispatcher } from '../notification-dispatcher';
import { NotificationPlanner } from '../notification-planner';

export interface AnnouncementBatchData {
  /** Keys each recipient's notifications: once per announcement, whichever page runs again. */
  announcementId: string;
  senderId: string;
  title: string;
  body: string;
  audience: AudienceCriteria;
  /** The last recipient id of the previous page; null for the first page. */
  after: string | null;
}

/** Recipients per page: no job, payload or transaction grows with the audience. */
export const ANNOUNCEMENT_BATCH_SIZE = 500;

/** One page of an announcement's recipients; recorded by the use case for the first page. */
export const announcementBatchJob = defineJob<AnnouncementBatchData>({
  name: 'notification.announcement-batch',
  queue: QueueName.Notifications,
  id: ({ announcementId, after }) => `announcement-${announcementId}-${after ?? 'first'}`,
});

@Injectable()
export class AnnouncementBatchHandler extends JobHandler<AnnouncementBatchData> {
  readonly job = announcementBatchJob;
  /** A test lowers it to page through a small audience. */
  batchSize = ANNOUNCEMENT_BATCH_SIZE;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audience: AnnouncementAudience,
    private readonly planner: NotificationPlanner,
    private readonly dispatcher: NotificationDispatcher,
  ) {
    super();
  }

  /** Notifies one page and queues the next; a rerun stores nothing new (dedupe keys). */
  async run(data: AnnouncementBatchData): Promise<number> {
    const recipientIds = await this.audience.page(
      data.audience,
      data.senderId,
      data.after,
      this.batchSize,
    );
    // A full page may have a successor: queued first, so the pages' deliveries overlap.
    if (recipientIds.length === this.batchSize) {
      const next = announcementBatchJob.with({
        ...data,
        after: recipientIds[recipientIds.length - 1],
      });
      await this.db.transaction((manager) => recordJobs(manager, [next]));
    }
    const drafts = await this.planner.announcement(data.announcementId, {
      senderId: data.senderId,
      recipientIds,
      title: data.title,
      body: data.body,
    });
    return this.dispatcher.dispatch(null, drafts);
  }
}
