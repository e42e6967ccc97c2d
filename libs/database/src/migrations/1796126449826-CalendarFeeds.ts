import { MigrationInterface, QueryRunner } from 'typeorm';

export class CalendarFeeds1796126449826 implements MigrationInterface {
  name = 'CalendarFeeds1796126449826';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "busy_calendars" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "doctor_id" uuid NOT NULL,
                "url" text NOT NULL,
                "position" integer NOT NULL,
                "last_fetched_at" TIMESTAMP WITH TIME ZONE,
                "last_error" text,
                "last_attempt_at" TIMESTAMP WITH TIME ZONE,
                "busy_count" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5f71013b340838eacd9082905f4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "busy_calendars_doctor_url_key" ON "busy_calendars" ("doctor_id", "url")
        `);
    await queryRunner.query(`
            CREATE TABLE "busy_intervals" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "calendar_id" uuid NOT NULL,
                "doctor_id" uuid NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "busy_intervals_range_check" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "PK_0f203b22465936de313132f6db9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "busy_intervals_calendar_idx" ON "busy_intervals" ("calendar_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "busy_intervals_doctor_range_idx" ON "busy_intervals" ("doctor_id", "starts_at", "ends_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "calendar_feeds" (
                "user_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3212ce9ff23847e66347a6730d3" PRIMARY KEY ("user_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "calendar_feeds_token_hash_key" ON "calendar_feeds" ("token_hash")
        `);
    await queryRunner.query(`
            ALTER TABLE "busy_calendars"
            ADD CONSTRAINT "FK_a86013fe7629654bc98d69b86bc" FOREIGN KEY ("doctor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "busy_intervals"
            ADD CONSTRAINT "FK_189aaaefb3970eb350237e26102" FOREIGN KEY ("calendar_id") REFERENCES "busy_calendars"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calendar_feeds"
            ADD CONSTRAINT "FK_3212ce9ff23847e66347a6730d3" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "calendar_feeds" DROP CONSTRAINT "FK_3212ce9ff23847e66347a6730d3"
        `);
    await queryRunner.query(`
            ALTER TABLE "busy_intervals" DROP CONSTRAINT "FK_189aaaefb3970eb350237e26102"
        `);
    await queryRunner.query(`
            ALTER TABLE "busy_calendars" DROP CONSTRAINT "FK_a86013fe7629654bc98d69b86bc"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."calendar_feeds_token_hash_key"
        `);
    await queryRunner.query(`
            DROP TABLE "calendar_feeds"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."busy_intervals_doctor_range_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."busy_intervals_calendar_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "busy_intervals"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."busy_calendars_doctor_url_key"
        `);
    await queryRunner.query(`
            DROP TABLE "busy_calendars"
        `);
  }
}
