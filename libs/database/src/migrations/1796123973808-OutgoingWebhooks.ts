import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutgoingWebhooks1796123973808 implements MigrationInterface {
  name = 'OutgoingWebhooks1796123973808';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "webhook_endpoints" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "owner_id" uuid NOT NULL,
                "url" text NOT NULL,
                "events" text array NOT NULL,
                "description" text,
                "enabled" boolean NOT NULL DEFAULT true,
                "secret_ciphertext" text NOT NULL,
                "previous_secret_ciphertext" text,
                "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE,
                "failing_since" TIMESTAMP WITH TIME ZONE,
                "auto_disabled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_endpoints_owner_idx" ON "webhook_endpoints" ("owner_id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'succeeded', 'failed')
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "endpoint_id" uuid NOT NULL,
                "event_id" uuid NOT NULL,
                "type" text NOT NULL,
                "payload" jsonb NOT NULL,
                "status" "public"."webhook_delivery_status" NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "round" integer NOT NULL DEFAULT '0',
                "last_status_code" integer,
                "last_error" text,
                "next_attempt_at" TIMESTAMP WITH TIME ZONE,
                "last_attempt_at" TIMESTAMP WITH TIME ZONE,
                "succeeded_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "webhook_deliveries_endpoint_event_key" UNIQUE ("endpoint_id", "event_id"),
                CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_deliveries_created_idx" ON "webhook_deliveries" ("created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" ("endpoint_id", "created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_endpoints"
            ADD CONSTRAINT "FK_b5dcaff83b5523435437b9faa8c" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_0b882c26a9b91c26e6e86b4867c"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "FK_b5dcaff83b5523435437b9faa8c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_deliveries_endpoint_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_deliveries_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."webhook_delivery_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_endpoints_owner_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_endpoints"
        `);
  }
}
