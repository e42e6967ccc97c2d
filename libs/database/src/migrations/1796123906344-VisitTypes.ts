import { MigrationInterface, QueryRunner } from 'typeorm';

export class VisitTypes1796123906344 implements MigrationInterface {
  name = 'VisitTypes1796123906344';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TYPE "public"."visit_mode" AS ENUM('in_person', 'video', 'phone')
        `);
    await queryRunner.query(`
            CREATE TABLE "visit_types" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "doctor_id" uuid NOT NULL,
                "name" text NOT NULL,
                "description" text,
                "duration_minutes" integer NOT NULL,
                "price_minor" integer NOT NULL,
                "currency" character(3) NOT NULL,
                "buffer_before_minutes" integer NOT NULL DEFAULT '0',
                "buffer_after_minutes" integer NOT NULL DEFAULT '0',
                "mode" "public"."visit_mode" NOT NULL DEFAULT 'in_person',
                "location" text,
                "requires_approval" boolean NOT NULL DEFAULT false,
                "approval_deadline_hours" integer NOT NULL DEFAULT '24',
                "change_cutoff_hours" integer NOT NULL DEFAULT '0',
                "questions" jsonb NOT NULL DEFAULT '[]',
                "position" integer NOT NULL DEFAULT '0',
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "visit_types_change_cutoff_check" CHECK (
                    "change_cutoff_hours" BETWEEN 0 AND 168
                ),
                CONSTRAINT "visit_types_approval_deadline_check" CHECK (
                    "approval_deadline_hours" BETWEEN 1 AND 168
                ),
                CONSTRAINT "visit_types_buffers_check" CHECK (
                    "buffer_before_minutes" BETWEEN 0 AND 120
                    AND "buffer_after_minutes" BETWEEN 0 AND 120
                ),
                CONSTRAINT "visit_types_price_check" CHECK ("price_minor" >= 0),
                CONSTRAINT "visit_types_duration_check" CHECK (
                    "duration_minutes" BETWEEN 5 AND 480
                ),
                CONSTRAINT "PK_79e2ddab3c4bdc69184669a0ad2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "visit_types_doctor_order_idx" ON "visit_types" ("doctor_id", "position", "created_at")
            WHERE "active"
        `);
    await queryRunner.query(`
            ALTER TABLE "visit_types"
            ADD CONSTRAINT "FK_524eacd334a40cc8744d413274a" FOREIGN KEY ("doctor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // Every doctor has a visit type: today's ones get "Consultation" from their profile...
    await queryRunner.query(`
            INSERT INTO "visit_types" ("doctor_id", "name", "duration_minutes", "price_minor", "currency", "position")
            SELECT "user_id", 'Consultation', "slot_duration_minutes", "fee_minor", "currency", 0
              FROM "doctor_profiles"
        `);
    // ...and so does every profile created later, however it is created.
    await queryRunner.query(`
            CREATE FUNCTION "doctor_profiles_default_visit_type"() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO "visit_types" ("doctor_id", "name", "duration_minutes", "price_minor", "currency", "position")
              VALUES (NEW."user_id", 'Consultation', NEW."slot_duration_minutes", NEW."fee_minor", NEW."currency", 0);
              RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "doctor_profiles_default_visit_type"
            AFTER INSERT ON "doctor_profiles"
            FOR EACH ROW EXECUTE FUNCTION "doctor_profiles_default_visit_type"()
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD "blocked_from" TIMESTAMP WITH TIME ZONE,
            ADD "blocked_to" TIMESTAMP WITH TIME ZONE,
            ADD "visit_type_id" uuid,
            ADD "answers" jsonb,
            ADD "change_cutoff_hours" integer NOT NULL DEFAULT '0',
            ADD "approval_deadline_at" TIMESTAMP WITH TIME ZONE,
            ADD "declined_at" TIMESTAMP WITH TIME ZONE,
            ADD "decline_reason" text,
            ADD "series_id" uuid
        `);
    // Release-1 appointments had no buffers and were of the doctor's only type.
    await queryRunner.query(`
            UPDATE "appointments" a
               SET "blocked_from" = a."starts_at",
                   "blocked_to" = a."ends_at",
                   "visit_type_id" = (SELECT v."id" FROM "visit_types" v WHERE v."doctor_id" = a."doctor_id" ORDER BY v."position", v."created_at" LIMIT 1)
        `);
    // A writer that predates visit types (an import, a release-1 script) still inserts valid
    // rows: no buffers, the doctor's first type.
    await queryRunner.query(`
            CREATE FUNCTION "appointments_visit_defaults"() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              NEW."blocked_from" := coalesce(NEW."blocked_from", NEW."starts_at");
              NEW."blocked_to" := coalesce(NEW."blocked_to", NEW."ends_at");
              IF NEW."visit_type_id" IS NULL THEN
                SELECT v."id" INTO NEW."visit_type_id" FROM "visit_types" v
                 WHERE v."doctor_id" = NEW."doctor_id"
                 ORDER BY v."active" DESC, v."position", v."created_at", v."id" LIMIT 1;
              END IF;
              RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "appointments_visit_defaults"
            BEFORE INSERT ON "appointments"
            FOR EACH ROW EXECUTE FUNCTION "appointments_visit_defaults"()
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ALTER COLUMN "blocked_from" SET NOT NULL,
            ALTER COLUMN "blocked_to" SET NOT NULL,
            ALTER COLUMN "visit_type_id" SET NOT NULL
        `);
    // New statuses: the type is rebuilt (not ALTER TYPE ... ADD VALUE) so the whole change
    // stays in one transaction; what reads the status is dropped and recreated around it.
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "appointments_doctor_no_overlap"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "appointments_patient_no_overlap"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_hold_expiry_idx"
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."appointment_status" RENAME TO "appointment_status_old"
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."appointment_status" AS ENUM(
                'pending_approval', 'pending_payment', 'confirmed', 'completed', 'no_show',
                'expired', 'cancelled', 'rescheduled', 'declined'
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ALTER COLUMN "status" TYPE "public"."appointment_status" USING "status"::text::"public"."appointment_status"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_status_history"
            ALTER COLUMN "from_status" TYPE "public"."appointment_status" USING "from_status"::text::"public"."appointment_status",
            ALTER COLUMN "to_status" TYPE "public"."appointment_status" USING "to_status"::text::"public"."appointment_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."appointment_status_old"
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_hold_expiry_idx" ON "appointments" ("hold_expires_at")
            WHERE "status" = 'pending_payment'
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "appointments_doctor_no_overlap" EXCLUDE USING gist ("doctor_id" WITH =, tstzrange("blocked_from", "blocked_to") WITH &&)
                WHERE ("status" IN ('pending_approval', 'pending_payment', 'confirmed'))
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "appointments_patient_no_overlap" EXCLUDE USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
                WHERE ("status" IN ('pending_approval', 'pending_payment', 'confirmed'))
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_visit_type_idx" ON "appointments" ("visit_type_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_series_idx" ON "appointments" ("series_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_approval_deadline_idx" ON "appointments" ("approval_deadline_at")
            WHERE "status" = 'pending_approval'
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "appointments_blocked_range_check" CHECK (
                    "blocked_from" <= "starts_at"
                    AND "blocked_to" >= "ends_at"
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "FK_6a4c1ef7d79505b75b8760758b8" FOREIGN KEY ("visit_type_id") REFERENCES "visit_types"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Appointments of the new statuses have no release-1 meaning: they end as cancelled.
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "FK_6a4c1ef7d79505b75b8760758b8"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "appointments_blocked_range_check"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_approval_deadline_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_series_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_visit_type_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "appointments_doctor_no_overlap"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "appointments_patient_no_overlap"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_hold_expiry_idx"
        `);
    await queryRunner.query(`
            UPDATE "appointments" SET "status" = 'cancelled' WHERE "status" IN ('pending_approval', 'declined')
        `);
    await queryRunner.query(`
            DELETE FROM "appointment_status_history" WHERE "from_status" IN ('pending_approval', 'declined') OR "to_status" IN ('pending_approval', 'declined')
        `);
    await queryRunner.query(`
            ALTER TYPE "public"."appointment_status" RENAME TO "appointment_status_old"
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."appointment_status" AS ENUM(
                'pending_payment', 'confirmed', 'completed', 'no_show', 'expired', 'cancelled', 'rescheduled'
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ALTER COLUMN "status" TYPE "public"."appointment_status" USING "status"::text::"public"."appointment_status"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_status_history"
            ALTER COLUMN "from_status" TYPE "public"."appointment_status" USING "from_status"::text::"public"."appointment_status",
            ALTER COLUMN "to_status" TYPE "public"."appointment_status" USING "to_status"::text::"public"."appointment_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."appointment_status_old"
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_hold_expiry_idx" ON "appointments" ("hold_expires_at")
            WHERE "status" = 'pending_payment'
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "appointments_doctor_no_overlap" EXCLUDE USING gist ("doctor_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
                WHERE ("status" IN ('pending_payment', 'confirmed'))
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "appointments_patient_no_overlap" EXCLUDE USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at") WITH &&)
                WHERE ("status" IN ('pending_payment', 'confirmed'))
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            DROP COLUMN "series_id",
            DROP COLUMN "decline_reason",
            DROP COLUMN "declined_at",
            DROP COLUMN "approval_deadline_at",
            DROP COLUMN "change_cutoff_hours",
            DROP COLUMN "answers",
            DROP COLUMN "visit_type_id",
            DROP COLUMN "blocked_to",
            DROP COLUMN "blocked_from"
        `);
    await queryRunner.query(`
            DROP TRIGGER "appointments_visit_defaults" ON "appointments"
        `);
    await queryRunner.query(`
            DROP FUNCTION "appointments_visit_defaults"()
        `);
    await queryRunner.query(`
            DROP TRIGGER "doctor_profiles_default_visit_type" ON "doctor_profiles"
        `);
    await queryRunner.query(`
            DROP FUNCTION "doctor_profiles_default_visit_type"()
        `);
    await queryRunner.query(`
            DROP TABLE "visit_types"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."visit_mode"
        `);
  }
}
