-- Import speed (see schema.prisma). Calls and leads keep their campaign and lead ids without foreign
-- keys: the importer checks them under lock, and PostgreSQL's check per row cost a third of an import.
ALTER TABLE "call_attempt" DROP CONSTRAINT "call_attempt_lead_id_fkey";
ALTER TABLE "call_attempt" DROP CONSTRAINT "call_attempt_campaign_id_fkey";
ALTER TABLE "lead" DROP CONSTRAINT "lead_campaign_id_fkey";

-- Ids and rollup keys compare bytewise: every index insert compares them a dozen times, and the
-- database's locale (C.UTF-8, en_US, ...) compares through the C library instead of memcmp.
ALTER TABLE "call_attempt" ALTER COLUMN "id" TYPE TEXT COLLATE "C", ALTER COLUMN "lead_id" TYPE TEXT COLLATE "C";
ALTER TABLE "lead" ALTER COLUMN "id" TYPE TEXT COLLATE "C";
ALTER TABLE "lead_progress" ALTER COLUMN "lead_id" TYPE TEXT COLLATE "C";
ALTER TABLE "call_bucket_key" ALTER COLUMN "dimension" TYPE TEXT COLLATE "C", ALTER COLUMN "key" TYPE TEXT COLLATE "C";
ALTER TABLE "call_day_key" ALTER COLUMN "dimension" TYPE TEXT COLLATE "C", ALTER COLUMN "key" TYPE TEXT COLLATE "C";
