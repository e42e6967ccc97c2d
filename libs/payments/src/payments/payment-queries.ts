import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Payment } from '@app/database';
import { PaymentNotFoundError } from './payment.errors';
import { paymentsVisibleTo } from './payment-scope';

@Injectable()
export class PaymentQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(actor: AuthUser, id: string): Promise<Payment> {
    const where = paymentsVisibleTo(actor, id);
    const payment = where ? await this.db.getRepository(Payment).findOne({ where }) : null;
    if (!payment) throw new PaymentNotFoundError();
    return payment;
  }
}
