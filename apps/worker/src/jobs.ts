import { ApprovalDeadlineHandler, HoldExpireHandler, HoldSweepHandler } from '@app/booking';
import {
  AnnouncementBatchHandler,
  NotificationEmailHandler,
  ReminderHandler,
} from '@app/notifications';
import {
  CapturePaymentHandler,
  IssueRefundHandler,
  PaymentWebhookHandler,
  ReconcilePaymentsHandler,
} from '@app/payments';
import { EventDispatchHandler, SystemPingHandler, WorkSweepHandler } from '@app/queues';
import {
  WebhookDeliverHandler,
  WebhookDisabledNoticeHandler,
  WebhookPurgeHandler,
} from '@app/webhooks';
import { PurgeHandler } from './maintenance/purge.job';

/** Every job the worker runs: adding a job is its file plus one line here. */
export const JOB_HANDLER_CLASSES = [
  SystemPingHandler,
  EventDispatchHandler,
  WorkSweepHandler,
  PurgeHandler,
  HoldExpireHandler,
  HoldSweepHandler,
  ApprovalDeadlineHandler,
  ReminderHandler,
  NotificationEmailHandler,
  AnnouncementBatchHandler,
  PaymentWebhookHandler,
  CapturePaymentHandler,
  IssueRefundHandler,
  ReconcilePaymentsHandler,
  WebhookDeliverHandler,
  WebhookDisabledNoticeHandler,
  WebhookPurgeHandler,
];
