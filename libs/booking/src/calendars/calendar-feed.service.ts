import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { generateOpaqueToken, hashOpaqueToken } from '@app/auth';
import { NotFoundError } from '@app/common';
import { AppConfig } from '@app/config';
import { calendarSequences } from '../appointments/appointment-queries';
import { DAY_MS } from '../slots/local-time';
import { FEED_STATUSES, FeedEntry, renderCalendarFeed } from './calendar-feed-render';

/** How far back a feed reaches. */
export const FEED_PAST_DAYS = 30;

export interface CalendarFeedLink {
  url: string;
  createdAt: Date;
}

/** A feed ready to send: its ETag is known before (and without) rendering it. */
export interface RenderedFeed {
  etag: string;
  render(): string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Rendered feeds kept per process, by ETag (ical-generator takes long for thousands of events). */
const RENDERED_CACHE_SIZE = 32;

const FEED_OWNER_SQL = `
  SELECT f.user_id AS "userId", f.token_hash AS "tokenHash"
    FROM calendar_feeds f JOIN users u ON u.id = f.user_id
   WHERE f.token_hash = $1 AND u.deactivated_at IS NULL`;
// The user's appointments on either side, with the other party's name and the visit type.
const FEED_SQL = `
  SELECT a.id, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.status,
         a.updated_at AS "updatedAt", vt.name AS "visitTypeName", vt.location,
         o.first_name AS "otherFirstName", o.last_name AS "otherLastName",
         a.rescheduled_from_id IS NOT NULL AS "moved",
         (SELECT count(*)::int FROM appointment_status_history h WHERE h.appointment_id = a.id) AS "changes"
    FROM appointments a
    JOIN visit_types vt ON vt.id = a.visit_type_id
    JOIN users o ON o.id = CASE WHEN a.doctor_id = $1 THEN a.patient_id ELSE a.doctor_id END
   WHERE (a.doctor_id = $1 OR a.patient_id = $1)
     AND a.starts_at >= $2 AND a.starts_at < $3 AND a.status = ANY($4::appointment_status[])
   ORDER BY a.starts_at, a.id`;

/**
 * Each user's secret calendar-feed URL (only a SHA-256 of its token is stored) and the feed
 * it serves: the user's appointments from 30 days ago to the booking horizon.
 */
@Injectable()
export class CalendarFeedService {
  private readonly host: string;
  private readonly rendered = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {
    this.host = new URL(config.publicUrl).hostname;
  }

  /** A new secret URL; the previous one (if any) stops working in the same statement. */
  async issue(userId: string): Promise<CalendarFeedLink> {
    const token = generateOpaqueToken();
    const [row]: { createdAt: Date }[] = await this.db.query(
      `INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
       RETURNING created_at AS "createdAt"`,
      [userId, hashOpaqueToken(token)],
    );
    return { url: `${this.config.publicUrl}/calendar/${token}.ics`, createdAt: row.createdAt };
  }

  async revoke(userId: string): Promise<void> {
    await this.db.query(`DELETE FROM calendar_feeds WHERE user_id = $1`, [userId]);
  }

  /** The feed of a token; 404 for an unknown, rotated or revoked one. */
  async feed(token: string): Promise<RenderedFeed> {
    const userId = await this.ownerOf(token);
    const now = Date.now();
    const rows: (Omit<FeedEntry, 'sequence'> & { moved: boolean; changes: number })[] =
      await this.db.query(FEED_SQL, [
        userId,
        new Date(now - FEED_PAST_DAYS * DAY_MS),
        new Date(now + this.config.booking.horizonDays * DAY_MS),
        FEED_STATUSES,
      ]);
    // A rescheduled appointment counts the changes of its chain too (a recursive query, for those only).
    const chains = await calendarSequences(
      this.db,
      rows.filter((row) => row.moved).map((row) => row.id),
    );
    const entries: FeedEntry[] = rows.map(({ moved, changes, ...row }) => ({
      ...row,
      sequence: moved ? (chains.get(row.id) ?? changes) : changes,
    }));
    // Of everything the feed shows: equal ETags mean equal bytes.
    const digest = createHash('sha256').update(this.host);
    for (const e of entries) {
      digest.update(
        `\n${e.id}|${e.startsAt.toISOString()}|${e.endsAt.toISOString()}|${e.status}|` +
          `${e.updatedAt.toISOString()}|${e.sequence}|${e.visitTypeName}|${e.location ?? ''}|` +
          `${e.otherFirstName}|${e.otherLastName}`,
      );
    }
    const etag = `W/"${digest.digest('base64url').slice(0, 27)}"`;
    return { etag, render: () => this.renderOnce(etag, entries) };
  }

  /** Equal ETags mean equal bytes: a feed is rendered once per change, not once per poll. */
  private renderOnce(etag: string, entries: FeedEntry[]): string {
    let text = this.rendered.get(etag);
    if (text === undefined) {
      text = renderCalendarFeed(entries, this.host);
      if (this.rendered.size >= RENDERED_CACHE_SIZE)
        this.rendered.delete(this.rendered.keys().next().value!);
    } else {
      this.rendered.delete(etag);
    }
    this.rendered.set(etag, text);
    return text;
  }

  private async ownerOf(token: string): Promise<string> {
    if (!TOKEN.test(token)) throw new NotFoundError('Calendar feed');
    const hash = hashOpaqueToken(token);
    const [row]: { userId: string; tokenHash: string }[] = await this.db.query(FEED_OWNER_SQL, [
      hash,
    ]);
    // The index found the row; the comparison that admits it takes the same time for any hash.
    if (!row || !timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash)))
      throw new NotFoundError('Calendar feed');
    return row.userId;
  }
}
