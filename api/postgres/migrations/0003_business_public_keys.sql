-- The business public key uploaded for a phone number (POST /{phone-number-id}/whatsapp_business_encryption),
-- PEM text, and when it was uploaded, in unix nanoseconds. Phone numbers come from the access file.
CREATE TABLE business_public_keys (
    phone_number_id TEXT PRIMARY KEY,
    public_key      TEXT NOT NULL,
    updated_at      BIGINT NOT NULL
);
