import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795549223538 implements MigrationInterface {
  name = 'InitialSchema1795549223538';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // btree_gist: uuid equality inside the no-overlap exclusion constraints; citext: emails.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS citext`);
    await queryRunner.query(`
            CREATE TYPE "public"."user_role" AS ENUM('patient', 'doctor', 'admin')
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" citext NOT NULL,
                "password_hash" text,
                "role" "public"."user_role" NOT NULL DEFAULT 'patient',
                "first_name" text NOT NULL,
                "last_name" text NOT NULL,
                "phone" text,
                "timezone" text NOT NULL DEFAULT 'UTC',
                "email_verified_at" TIMESTAMP WITH TIME ZONE,
                "deactivated_at" TIMESTAMP WITH TIME ZONE,
                "token_version" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")
        `);
    await queryRunner.query(`
            CREATE INDEX "users_role_idx" ON "users" ("role")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."appointment_status" AS ENUM(
                'pending_payment',
                'confirmed',
                'completed',
                'no_show',
                'expired',
                'cancelled',
                'rescheduled'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "appointments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "doctor_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" "public"."appointment_status" NOT NULL,
                "reason" text,
                "fee_minor" integer NOT NULL,
                "currency" character(3) NOT NULL,
                "hold_expires_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_by" uuid,
                "cancellation_reason" text,
                "rescheduled_from_id" uuid,
                "version" integer NOT NULL DEFAULT '1',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "appointments_fee_check" CHECK ("fee_minor" >= 0),
                CONSTRAINT "appointments_range_check" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "appointments_patient_no_overlap" EXCLUDE USING gist (
                    "patient_id" WITH =,
                    tstzrange("starts_at", "ends_at") WITH &&
                )
                WHERE ("status" IN ('pending_payment', 'confirmed')),
                    CONSTRAINT "appointments_doctor_no_overlap" EXCLUDE USING gist (
                        "doctor_id" WITH =,
                        tstzrange("starts_at", "ends_at") WITH &&
                    )
                WHERE ("status" IN ('pending_payment', 'confirmed')),
                    CONSTRAINT "PK_4a437a9a27e948726b8bb3e36ad" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_rescheduled_from_idx" ON "appointments" ("rescheduled_from_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_starts_idx" ON "appointments" ("starts_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_hold_expiry_idx" ON "appointments" ("hold_expires_at")
            WHERE "status" = 'pending_payment'
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_patient_starts_idx" ON "appointments" ("patient_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "appointments_doctor_starts_idx" ON "appointments" ("doctor_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "appointment_status_history" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "from_status" "public"."appointment_status",
                "to_status" "public"."appointment_status" NOT NULL,
                "actor_id" uuid,
                "reason" text,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_86ba2571cc6758bc7443adb7a8e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "appointment_status_history_appointment_idx" ON "appointment_status_history" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."audit_outcome" AS ENUM('allowed', 'denied')
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_logs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "actor_id" uuid,
                "action" text NOT NULL,
                "resource_type" text NOT NULL,
                "resource_id" uuid,
                "outcome" "public"."audit_outcome" NOT NULL,
                "ip" text,
                "request_id" text,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1bb179d048bbc581caa3b013439" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_logs_actor_idx" ON "audit_logs" ("actor_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_logs_resource_idx" ON "audit_logs" ("resource_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_logs_at_idx" ON "audit_logs" ("at")
        `);
    await queryRunner.query(`
            CREATE TABLE "availability_rules" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "doctor_id" uuid NOT NULL,
                "day_of_week" smallint NOT NULL,
                "start_time" TIME NOT NULL,
                "end_time" TIME NOT NULL,
                CONSTRAINT "availability_rules_range_check" CHECK ("end_time" > "start_time"),
                CONSTRAINT "availability_rules_day_check" CHECK (
                    "day_of_week" BETWEEN 0 AND 6
                ),
                CONSTRAINT "availability_rules_no_overlap" EXCLUDE USING gist (
                    "doctor_id" WITH =,
                    "day_of_week" WITH =,
                    tsrange(
                        DATE '2000-01-01' + "start_time",
                        DATE '2000-01-01' + "end_time"
                    ) WITH &&
                ),
                CONSTRAINT "PK_37dd3738c54ba3243cca374c2a1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "availability_rules_doctor_idx" ON "availability_rules" ("doctor_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "specialties" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" citext NOT NULL,
                "description" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ba01cec5aa8ac48778a1d097e98" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "specialties_name_key" ON "specialties" ("name")
        `);
    await queryRunner.query(`
            CREATE TABLE "doctor_profiles" (
                "user_id" uuid NOT NULL,
                "bio" text NOT NULL DEFAULT '',
                "fee_minor" integer NOT NULL DEFAULT '0',
                "currency" character(3) NOT NULL DEFAULT 'USD',
                "slot_duration_minutes" integer NOT NULL DEFAULT '30',
                "timezone" text NOT NULL DEFAULT 'UTC',
                "active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "doctor_profiles_fee_check" CHECK ("fee_minor" >= 0),
                CONSTRAINT "doctor_profiles_slot_duration_check" CHECK (
                    "slot_duration_minutes" BETWEEN 5 AND 240
                ),
                CONSTRAINT "PK_69995f9059305ab7a9c52cdb10e" PRIMARY KEY ("user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."idempotency_state" AS ENUM('in_progress', 'completed')
        `);
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "key" text NOT NULL,
                "request_hash" text NOT NULL,
                "state" "public"."idempotency_state" NOT NULL,
                "response_status" integer,
                "response_body" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_8ad20779ad0411107a56e53d0f6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" ("expires_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "idempotency_keys_user_key" ON "idempotency_keys" ("user_id", "key")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."notification_channel" AS ENUM('email', 'in_app')
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'sent', 'failed')
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "dedupe_key" text NOT NULL,
                "user_id" uuid NOT NULL,
                "event_id" uuid,
                "channel" "public"."notification_channel" NOT NULL,
                "type" text NOT NULL,
                "title" text NOT NULL,
                "body" text NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "status" "public"."delivery_status" NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "last_error" text,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "read_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notifications_dedupe_key" ON "notifications" ("dedupe_key")
        `);
    await queryRunner.query(`
            CREATE INDEX "notifications_user_inapp_idx" ON "notifications" ("user_id", "created_at")
            WHERE "channel" = 'in_app'
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."one_time_token_purpose" AS ENUM('email_verification', 'password_reset')
        `);
    await queryRunner.query(`
            CREATE TABLE "one_time_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "purpose" "public"."one_time_token_purpose" NOT NULL,
                "token_hash" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8e470cc9ffc1b2afa054304db17" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "one_time_tokens_user_idx" ON "one_time_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "one_time_tokens_hash_key" ON "one_time_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "outbox_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "type" text NOT NULL,
                "aggregate_type" text NOT NULL,
                "aggregate_id" uuid,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "published_at" TIMESTAMP WITH TIME ZONE,
                "attempts" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_events_unpublished_idx" ON "outbox_events" ("created_at")
            WHERE "published_at" IS NULL
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."payment_status" AS ENUM(
                'created',
                'approved',
                'captured',
                'refunded',
                'failed'
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "payments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "appointment_id" uuid NOT NULL,
                "status" "public"."payment_status" NOT NULL,
                "amount_minor" integer NOT NULL,
                "currency" character(3) NOT NULL,
                "provider" text NOT NULL DEFAULT 'paypal',
                "provider_order_id" text,
                "provider_capture_id" text,
                "approve_url" text,
                "captured_at" TIMESTAMP WITH TIME ZONE,
                "refunded_at" TIMESTAMP WITH TIME ZONE,
                "failure_reason" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_197ab7af18c93fbb0c9b28b4a59" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "payments_appointment_idx" ON "payments" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "payments_provider_order_key" ON "payments" ("provider_order_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "payments_status_updated_idx" ON "payments" ("status", "updated_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "payments_one_open_per_appointment" ON "payments" ("appointment_id")
            WHERE "status" IN ('created', 'approved', 'captured')
        `);
    await queryRunner.query(`
            CREATE TABLE "payment_events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "provider_event_id" text NOT NULL,
                "event_type" text NOT NULL,
                "resource_id" text,
                "payload" jsonb NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP WITH TIME ZONE,
                "error" text,
                CONSTRAINT "PK_9f1d16fc78b33e676940a32e8b5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "payment_events_provider_event_key" ON "payment_events" ("provider_event_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "family_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "rotated_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "refresh_tokens_user_idx" ON "refresh_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" ("family_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "refresh_tokens_hash_key" ON "refresh_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TYPE "public"."refund_status" AS ENUM('pending', 'completed', 'failed')
        `);
    await queryRunner.query(`
            CREATE TABLE "refunds" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "payment_id" uuid NOT NULL,
                "amount_minor" integer NOT NULL,
                "currency" character(3) NOT NULL,
                "status" "public"."refund_status" NOT NULL,
                "provider_refund_id" text,
                "reason" text NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "completed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_5106efb01eeda7e49a78b869738" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "refunds_one_live_per_payment" ON "refunds" ("payment_id")
            WHERE "status" <> 'failed'
        `);
    await queryRunner.query(`
            CREATE TABLE "time_off" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "doctor_id" uuid NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "reason" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "time_off_range_check" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "PK_e80a790cc96026d0f557a78f83d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "time_off_doctor_range_idx" ON "time_off" ("doctor_id", "starts_at", "ends_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "waitlist_entries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "patient_id" uuid NOT NULL,
                "doctor_id" uuid NOT NULL,
                "from_date" date NOT NULL,
                "to_date" date NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "last_notified_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "waitlist_entries_range_check" CHECK ("to_date" >= "from_date"),
                CONSTRAINT "PK_bd0ef66fff81d3be7b7a1568a4d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "waitlist_entries_patient_idx" ON "waitlist_entries" ("patient_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "waitlist_entries_doctor_active_idx" ON "waitlist_entries" ("doctor_id", "from_date", "to_date")
            WHERE "active"
        `);
    await queryRunner.query(`
            CREATE TABLE "doctor_specialties" (
                "doctor_id" uuid NOT NULL,
                "specialty_id" uuid NOT NULL,
                CONSTRAINT "PK_b9661cc766435ab56169b3fbe51" PRIMARY KEY ("doctor_id", "specialty_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a8c31ec7ac7398ea78c231d7bd" ON "doctor_specialties" ("doctor_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_fa46305c77b7a2db967573a469" ON "doctor_specialties" ("specialty_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "FK_4cf26c3f972d014df5c68d503d2" FOREIGN KEY ("doctor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "FK_3330f054416745deaa2cc130700" FOREIGN KEY ("patient_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "FK_74a514c97efe18c24526b1bd17a" FOREIGN KEY ("rescheduled_from_id") REFERENCES "appointments"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_status_history"
            ADD CONSTRAINT "FK_2ad04802c05115ffe5c63c01052" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "availability_rules"
            ADD CONSTRAINT "FK_938c6170df1452c14870ca2c8c9" FOREIGN KEY ("doctor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "doctor_profiles"
            ADD CONSTRAINT "FK_69995f9059305ab7a9c52cdb10e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "FK_9a8a82462cab47c73d25f49261f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "one_time_tokens"
            ADD CONSTRAINT "FK_0dc2deee64e514ad6f7e69504e1" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_9f49987820da519f855d04c82bd" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refunds"
            ADD CONSTRAINT "FK_7f48aa5d56c42aeb495db016683" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "time_off"
            ADD CONSTRAINT "FK_50f8597e70e2fa96ed3c3a3ae70" FOREIGN KEY ("doctor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_entries"
            ADD CONSTRAINT "FK_47850a846eddee2db5ff7a85c42" FOREIGN KEY ("patient_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_entries"
            ADD CONSTRAINT "FK_6c51eb6187487f747bbd9c6d2e5" FOREIGN KEY ("doctor_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "doctor_specialties"
            ADD CONSTRAINT "FK_a8c31ec7ac7398ea78c231d7bd8" FOREIGN KEY ("doctor_id") REFERENCES "doctor_profiles"("user_id") ON DELETE CASCADE ON UPDATE CASCADE
        `);
    await queryRunner.query(`
            ALTER TABLE "doctor_specialties"
            ADD CONSTRAINT "FK_fa46305c77b7a2db967573a4695" FOREIGN KEY ("specialty_id") REFERENCES "specialties"("id") ON DELETE CASCADE ON UPDATE CASCADE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "doctor_specialties" DROP CONSTRAINT "FK_fa46305c77b7a2db967573a4695"
        `);
    await queryRunner.query(`
            ALTER TABLE "doctor_specialties" DROP CONSTRAINT "FK_a8c31ec7ac7398ea78c231d7bd8"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_entries" DROP CONSTRAINT "FK_6c51eb6187487f747bbd9c6d2e5"
        `);
    await queryRunner.query(`
            ALTER TABLE "waitlist_entries" DROP CONSTRAINT "FK_47850a846eddee2db5ff7a85c42"
        `);
    await queryRunner.query(`
            ALTER TABLE "time_off" DROP CONSTRAINT "FK_50f8597e70e2fa96ed3c3a3ae70"
        `);
    await queryRunner.query(`
            ALTER TABLE "refunds" DROP CONSTRAINT "FK_7f48aa5d56c42aeb495db016683"
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_9f49987820da519f855d04c82bd"
        `);
    await queryRunner.query(`
            ALTER TABLE "one_time_tokens" DROP CONSTRAINT "FK_0dc2deee64e514ad6f7e69504e1"
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "FK_9a8a82462cab47c73d25f49261f"
        `);
    await queryRunner.query(`
            ALTER TABLE "doctor_profiles" DROP CONSTRAINT "FK_69995f9059305ab7a9c52cdb10e"
        `);
    await queryRunner.query(`
            ALTER TABLE "availability_rules" DROP CONSTRAINT "FK_938c6170df1452c14870ca2c8c9"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_status_history" DROP CONSTRAINT "FK_2ad04802c05115ffe5c63c01052"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "FK_74a514c97efe18c24526b1bd17a"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "FK_3330f054416745deaa2cc130700"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "FK_4cf26c3f972d014df5c68d503d2"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_fa46305c77b7a2db967573a469"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a8c31ec7ac7398ea78c231d7bd"
        `);
    await queryRunner.query(`
            DROP TABLE "doctor_specialties"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."waitlist_entries_doctor_active_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."waitlist_entries_patient_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "waitlist_entries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."time_off_doctor_range_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "time_off"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refunds_one_live_per_payment"
        `);
    await queryRunner.query(`
            DROP TABLE "refunds"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."refund_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_tokens_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_tokens_family_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_tokens_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payment_events_provider_event_key"
        `);
    await queryRunner.query(`
            DROP TABLE "payment_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payments_one_open_per_appointment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payments_status_updated_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payments_provider_order_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payments_appointment_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "payments"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."payment_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_events_unpublished_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."one_time_tokens_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."one_time_tokens_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "one_time_tokens"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."one_time_token_purpose"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notifications_user_inapp_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notifications_dedupe_key"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."delivery_status"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."notification_channel"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idempotency_keys_user_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idempotency_keys_expires_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."idempotency_state"
        `);
    await queryRunner.query(`
            DROP TABLE "doctor_profiles"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."specialties_name_key"
        `);
    await queryRunner.query(`
            DROP TABLE "specialties"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."availability_rules_doctor_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "availability_rules"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_logs_at_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_logs_resource_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_logs_actor_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_logs"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."audit_outcome"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointment_status_history_appointment_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "appointment_status_history"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_doctor_starts_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_patient_starts_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_hold_expiry_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_starts_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointments_rescheduled_from_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "appointments"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."appointment_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."users_role_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."users_email_key"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP TYPE "public"."user_role"
        `);
    await queryRunner.query(`DROP EXTENSION IF EXISTS citext`);
    await queryRunner.query(`DROP EXTENSION IF EXISTS btree_gist`);
  }
}
