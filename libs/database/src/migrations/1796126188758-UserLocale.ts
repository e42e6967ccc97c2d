import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserLocale1796126188758 implements MigrationInterface {
  name = 'UserLocale1796126188758';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "locale" text NOT NULL DEFAULT 'en'
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "erased_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "users_locale_check" CHECK ("locale" IN ('en', 'de', 'fr', 'es'))
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "users_locale_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "erased_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "locale"
        `);
  }
}
