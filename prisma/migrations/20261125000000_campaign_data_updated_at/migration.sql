-- AlterTable
-- When data of the campaign (the campaign, its leads or its calls) last changed; set by every write.
ALTER TABLE "campaign" ADD COLUMN     "data_updated_at" TIMESTAMPTZ(3);
