import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, NotFoundError, ValidationError } from '@app/common';
import { UserRole } from '@app/database';
import { recordJobs } from '@app/queues';
import { AnnouncementAudience, type AudienceCriteria } from './announcement-audience';
import { announcementBatchJob } from './jobs/announcement-batch.job';

export interface AnnouncementSender {
  id: string;
  role: UserRole;
}

export interface AnnouncementInput {
  title: string;
  body: string;
  /** ISO instants bounding the appointments' start: [from, to). */
  from?: string;
  to?: string;
  doctorId?: string;
}

/**
 * A doctor or an admin sends a message by hand. The answer counts the recipients now; the
 * worker reads them a page at a time (announcement-batch jobs) and emails and notifies each.
 */
@Injectable()
export class SendAnnouncementUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audience: AnnouncementAudience,
  ) {}

  async execute(
    sender: AnnouncementSender,
    input: AnnouncementInput,
  ): Promise<{ recipients: number }> {
    const from = input.from ? new Date(input.from) : undefined;
    const to = input.to ? new Date(input.to) : undefined;
    if (from && to && from >= to) throw ValidationError.field('to', 'must be later than from');
    const doctorId = this.audienceDoctor(sender, input.doctorId);
    if (doctorId && sender.role === UserRole.Admin && !(await this.audience.isDoctor(doctorId))) {
      throw new NotFoundError('Doctor');
    }

    // With a doctor or a range: patients with a live appointment starting in it, from now
    // on by default (now being the request, not the page). Without either: every active user.
    const audience: AudienceCriteria =
      doctorId || from || to
        ? {
            kind: 'patients',
            doctorId: doctorId ?? null,
            from: (from ?? new Date()).toISOString(),
            to: to?.toISOString() ?? null,
          }
        : { kind: 'everyone' };
    const recipients = await this.audience.count(audience, sender.id);
    if (recipients > 0) {
      const firstPage = announcementBatchJob.with({
        announcementId: randomUUID(),
        senderId: sender.id,
        title: input.title,
        body: input.body,
        audience,
        after: null,
      });
      await this.db.transaction((manager) => recordJobs(manager, [firstPage]));
    }
    return { recipients };
  }

  /** A doctor speaks to their own patients only; an admin may name any doctor, or none. */
  private audienceDoctor(
    sender: AnnouncementSender,
    doctorId: string | undefined,
  ): string | undefined {
    if (sender.role === UserRole.Admin) return doctorId;
    if (sender.role === UserRole.Doctor && (!doctorId || doctorId === sender.id)) return sender.id;
    throw new DomainError(ErrorCode.FORBIDDEN, 'A doctor may only write to their own patients');
  }
}
