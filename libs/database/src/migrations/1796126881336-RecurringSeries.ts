import { MigrationInterface, QueryRunner } from 'typeorm';

export class RecurringSeries1796126881336 implements MigrationInterface {
  name = 'RecurringSeries1796126881336';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."refunds_one_live_per_payment"
        `);
    await queryRunner.query(`
            CREATE TABLE "appointment_series" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "doctor_id" uuid NOT NULL,
                "patient_id" uuid NOT NULL,
                "visit_type_id" uuid NOT NULL,
                "repeat_every" integer NOT NULL,
                "repeat_unit" text NOT NULL DEFAULT 'week',
                "count" integer NOT NULL,
                "timezone" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "appointment_series_count_check" CHECK (
                    "count" BETWEEN 2 AND 26
                ),
                CONSTRAINT "appointment_series_repeat_unit_check" CHECK ("repeat_unit" = 'week'),
                CONSTRAINT "appointment_series_repeat_every_check" CHECK (
                    "repeat_every" BETWEEN 1 AND 4
                ),
                CONSTRAINT "PK_bd888c4bf857fc6a5ffbdf25c22" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "appointment_series_doctor_idx" ON "appointment_series" ("doctor_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "appointment_series_patient_idx" ON "appointment_series" ("patient_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "payment_items" (
                "payment_id" uuid NOT NULL,
                "appointment_id" uuid NOT NULL,
                "amount_minor" integer NOT NULL,
                "refund_id" uuid,
                CONSTRAINT "PK_9802de36bfdb0ac905af49c59bb" PRIMARY KEY ("payment_id", "appointment_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "payment_items_refund_idx" ON "payment_items" ("refund_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "payment_items_appointment_idx" ON "payment_items" ("appointment_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD "series_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "refunds"
            ADD "appointment_id" uuid
        `);
    // Refunds of single-appointment payments are about that appointment.
    await queryRunner.query(`
            UPDATE "refunds" r SET "appointment_id" = p."appointment_id"
              FROM "payments" p WHERE p."id" = r."payment_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_9f49987820da519f855d04c82bd"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ALTER COLUMN "appointment_id" DROP NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "payments_series_idx" ON "payments" ("series_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "payments_one_open_per_series" ON "payments" ("series_id")
            WHERE "status" IN ('created', 'approved', 'captured')
        `);
    await queryRunner.query(`
            CREATE INDEX "refunds_appointment_idx" ON "refunds" ("appointment_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "refunds_one_live_per_payment" ON "refunds" ("payment_id", "appointment_id")
            WHERE "status" <> 'failed'
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "payments_pays_for_check" CHECK (
                    ("appointment_id" IS NULL) <> ("series_id" IS NULL)
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_series"
            ADD CONSTRAINT "FK_907415ef139743842f9ab223eb4" FOREIGN KEY ("doctor_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_series"
            ADD CONSTRAINT "FK_99c6e9b2e57b9a719fe65a0be93" FOREIGN KEY ("patient_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_series"
            ADD CONSTRAINT "FK_2a07f73e668062dfd4194c3a260" FOREIGN KEY ("visit_type_id") REFERENCES "visit_types"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments"
            ADD CONSTRAINT "FK_8c6cbcf42c0a7c8a39bd4da6e9b" FOREIGN KEY ("series_id") REFERENCES "appointment_series"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_9f49987820da519f855d04c82bd" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_6772f8db7af55139ee8eaa34af0" FOREIGN KEY ("series_id") REFERENCES "appointment_series"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refunds"
            ADD CONSTRAINT "FK_e55d9ba45c09960964c064451d7" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_items"
            ADD CONSTRAINT "FK_c03172d6a1edb318ab03bdbb883" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_items"
            ADD CONSTRAINT "FK_51812a9f9f3150df1623ccfa04c" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_items"
            ADD CONSTRAINT "FK_393f084401c6daa619c36aed9fe" FOREIGN KEY ("refund_id") REFERENCES "refunds"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "payment_items" DROP CONSTRAINT "FK_393f084401c6daa619c36aed9fe"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_items" DROP CONSTRAINT "FK_51812a9f9f3150df1623ccfa04c"
        `);
    await queryRunner.query(`
            ALTER TABLE "payment_items" DROP CONSTRAINT "FK_c03172d6a1edb318ab03bdbb883"
        `);
    await queryRunner.query(`
            ALTER TABLE "refunds" DROP CONSTRAINT "FK_e55d9ba45c09960964c064451d7"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_6772f8db7af55139ee8eaa34af0"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "FK_9f49987820da519f855d04c82bd"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointments" DROP CONSTRAINT "FK_8c6cbcf42c0a7c8a39bd4da6e9b"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_series" DROP CONSTRAINT "FK_2a07f73e668062dfd4194c3a260"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_series" DROP CONSTRAINT "FK_99c6e9b2e57b9a719fe65a0be93"
        `);
    await queryRunner.query(`
            ALTER TABLE "appointment_series" DROP CONSTRAINT "FK_907415ef139743842f9ab223eb4"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP CONSTRAINT "payments_pays_for_check"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refunds_one_live_per_payment"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refunds_appointment_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payments_one_open_per_series"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payments_series_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ALTER COLUMN "appointment_id"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "payments"
            ADD CONSTRAINT "FK_9f49987820da519f855d04c82bd" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refunds" DROP COLUMN "appointment_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "payments" DROP COLUMN "series_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payment_items_appointment_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."payment_items_refund_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "payment_items"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointment_series_patient_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."appointment_series_doctor_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "appointment_series"
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "refunds_one_live_per_payment" ON "refunds" USING btree ("payment_id")
            WHERE (status <> 'failed'::refund_status)
        `);
  }
}
