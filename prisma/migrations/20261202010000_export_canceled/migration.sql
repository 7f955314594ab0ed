-- An export job stopped by cancelExport ends CANCELED.
-- AlterEnum
ALTER TYPE "export_status" ADD VALUE 'canceled';
