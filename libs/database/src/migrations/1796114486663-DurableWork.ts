import { MigrationInterface, QueryRunner } from 'typeorm';

export class DurableWork1796114486663 implements MigrationInterface {
  name = 'DurableWork1796114486663';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."outbox_events_unpublished_idx"
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."outbox_kind" AS ENUM('event', 'job')
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "kind" "public"."outbox_kind" NOT NULL DEFAULT 'event'
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "job_id" text
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "run_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."work_state" AS ENUM(
                'pending',
                'queued',
                'done',
                'failed',
                'cancelled'
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "state" "public"."work_state" NOT NULL DEFAULT 'pending'
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "requeues" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "last_error" text
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "completed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events"
            ADD "failed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_events_job_id_idx" ON "outbox_events" ("job_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_events_due_idx" ON "outbox_events" ("next_attempt_at")
            WHERE "state" = 'queued'
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_events_pending_idx" ON "outbox_events" ("created_at")
            WHERE "state" = 'pending'
        `);
    // Data: relayed rows count as done; commands once stored as events become their jobs.
    await queryRunner.query(`
            UPDATE "outbox_events" SET "state" = 'done', "completed_at" = "published_at"
            WHERE "published_at" IS NOT NULL
        `);
    await queryRunner.query(`
            UPDATE "outbox_events" SET "kind" = 'job', "type" = 'payment.webhook',
                "job_id" = 'webhook-' || ("payload"->>'paymentEventId'),
                "payload" = jsonb_build_object('paymentEventId', "payload"->>'paymentEventId')
            WHERE "state" = 'pending' AND "type" = 'payment.webhook_received'
        `);
    await queryRunner.query(`
            UPDATE "outbox_events" SET "kind" = 'job', "type" = 'payment.capture',
                "job_id" = 'capture-' || ("payload"->>'paymentId') || '-' || "id",
                "payload" = jsonb_build_object('paymentId', "payload"->>'paymentId', 'requestId', "id")
            WHERE "state" = 'pending' AND "type" = 'payment.capture_requested'
        `);
    await queryRunner.query(`
            UPDATE "outbox_events" SET "kind" = 'job', "type" = 'payment.refund',
                "job_id" = 'refund-' || ("payload"->>'refundId'),
                "payload" = jsonb_build_object('refundId', "payload"->>'refundId')
            WHERE "state" = 'pending' AND "type" = 'payment.refund_requested'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."outbox_events_pending_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_events_due_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_events_job_id_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "failed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "completed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "last_error"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "requeues"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "next_attempt_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "state"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."work_state"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "run_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "job_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "outbox_events" DROP COLUMN "kind"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."outbox_kind"
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_events_unpublished_idx" ON "outbox_events" USING btree ("created_at")
            WHERE (published_at IS NULL)
        `);
  }
}
