-- Trusted documents: the operations each version of each app may send by id (npm run documents).
-- A document's text is stored once, however many versions carry it.
CREATE TABLE "persisted_document" (
    "hash" TEXT NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "persisted_document_pkey" PRIMARY KEY ("hash")
);

CREATE TABLE "document_manifest" (
    "id" SERIAL NOT NULL,
    "app" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),

    CONSTRAINT "document_manifest_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "document_manifest_app_version_key" ON "document_manifest"("app", "version");

CREATE TABLE "manifest_document" (
    "manifest_id" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "manifest_document_pkey" PRIMARY KEY ("manifest_id","hash")
);

-- A lookup by id: is the document in a manifest not retired?
CREATE INDEX "manifest_document_hash_idx" ON "manifest_document"("hash");

ALTER TABLE "manifest_document" ADD CONSTRAINT "manifest_document_manifest_id_fkey" FOREIGN KEY ("manifest_id") REFERENCES "document_manifest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "manifest_document" ADD CONSTRAINT "manifest_document_hash_fkey" FOREIGN KEY ("hash") REFERENCES "persisted_document"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;
