-- Retention (npm run retention): a campaign's raw calls started before a cutoff may be removed while
-- its rollups keep counting them. The campaign records what went: the first and last removed calls'
-- start and the cutoff, so a report that would need removed calls says so instead of miscounting,
-- and the importer refuses calls before the cutoff.
ALTER TABLE "campaign" ADD COLUMN "calls_removed_first" TIMESTAMPTZ(3),
ADD COLUMN "calls_removed_last" TIMESTAMPTZ(3),
ADD COLUMN "calls_removed_before" TIMESTAMPTZ(3);
