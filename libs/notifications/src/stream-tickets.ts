import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { DomainError, ErrorCode } from '@app/common';
import { User, UserRole } from '@app/database';
import { RedisService } from '@app/queues';

export const STREAM_TICKET_TTL_SECONDS = 60;
const TICKET = /^[A-Za-z0-9_-]{43}$/;

export interface StreamTicket {
  ticket: string;
  expiresAt: string;
}

/** The user a redeemed ticket stands for (the shape of an authenticated caller). */
export interface TicketHolder {
  id: string;
  role: UserRole;
  email: string;
}

interface StoredTicket {
  userId: string;
  ver: number;
}

/**
 * Single-use tickets for the live stream: EventSource cannot send an Authorization header,
 * so a browser trades its bearer token for a ticket it may put in the URL.
 */
@Injectable()
export class StreamTickets {
  constructor(
    private readonly redis: RedisService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async issue(userId: string): Promise<StreamTicket> {
    const user = await this.db.getRepository(User).findOneOrFail({
      where: { id: userId },
      select: { id: true, tokenVersion: true },
    });
    const ticket = randomBytes(32).toString('base64url');
    const stored: StoredTicket = { userId, ver: user.tokenVersion };
    await this.redisCall(() =>
      this.redis.client.set(
        this.keyOf(ticket),
        JSON.stringify(stored),
        'EX',
        STREAM_TICKET_TTL_SECONDS,
      ),
    );
    return {
      ticket,
      expiresAt: new Date(Date.now() + STREAM_TICKET_TTL_SECONDS * 1000).toISOString(),
    };
  }

  /** Consumes a ticket: it works once, within its minute, for an account still active. */
  async redeem(ticket: string): Promise<TicketHolder | null> {
    if (!TICKET.test(ticket)) return null;
    const raw = await this.redisCall(() => this.redis.client.getdel(this.keyOf(ticket)));
    if (!raw) return null;
    const stored = JSON.parse(raw) as StoredTicket;
    const user = await this.db.getRepository(User).findOne({
      where: { id: stored.userId, deactivatedAt: IsNull(), tokenVersion: stored.ver },
      select: { id: true, role: true, email: true },
    });
    return user ? { id: user.id, role: user.role, email: user.email } : null;
  }

  /** Only a hash is stored: a copy of Redis holds no usable ticket. */
  private keyOf(ticket: string): string {
    return this.redis.key('stream-ticket', createHash('sha256').update(ticket).digest('hex'));
  }

  private async redisCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch {
      throw new DomainError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'Live notifications are unavailable; retry shortly',
        {
          retryAfterSeconds: 5,
        },
      );
    }
  }
}
