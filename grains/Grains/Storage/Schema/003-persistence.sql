-- Vitrina's schema for Orleans' ADO.NET providers, part 3: grain state (Microsoft.Orleans.Persistence.AdoNet).
-- The provider names a row by service, state name (its "GrainTypeString") and the grain key split three ways:
-- two 64-bit halves (a Guid, or 0 and an integer key) and a string (a string key, or a key extension, or NULL).
-- The grain's own type is not part of it, so two grain classes must not share a state name.
-- Orleans reads a string key made only of hexadecimal digits ("12345", "abc") as an integer key; both sides of
-- that mapping reach us already split, so such keys round-trip like any other.
-- The provider also sends hashes of the key and the state name (GrainIdHash, GrainTypeHash). Rows are found by
-- the full identity instead, so a change of hash function (UseOrleans3CompatibleHasher) cannot hide stored state;
-- the hashes are kept for diagnosis only.
-- Version is the state's ETag: every write names the version it read and moves it on by one.

CREATE TABLE IF NOT EXISTS orleans_grain_state (
    service_id      text        NOT NULL,
    state_name      text        NOT NULL,
    grain_key_n0    bigint      NOT NULL,
    grain_key_n1    bigint      NOT NULL,
    grain_key_text  text,
    grain_key_hash  integer     NOT NULL,
    state_name_hash integer     NOT NULL,
    payload         bytea,
    version         integer     NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now()
);

-- NULL and '' are one key here, which keeps uniqueness working on PostgreSQL before 15 (no NULLS NOT DISTINCT);
-- a string key '' and an integer key 0 of the same state name would share a row, which no real grain does.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_identity
    ON orleans_grain_state (service_id, state_name, grain_key_n0, grain_key_n1, (coalesce(grain_key_text, '')));

-- Returns the new version, or NULL when the caller's version is stale (the provider then raises
-- InconsistentStateException): a first write (no version) loses to an existing row, a later one to any other writer.
CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_service_id text, p_state_name text, p_state_name_hash integer,
    p_n0 bigint, p_n1 bigint, p_text text, p_key_hash integer,
    p_expected_version integer, p_payload bytea)
RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
    new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO orleans_grain_state (service_id, state_name, grain_key_n0, grain_key_n1, grain_key_text,
                                         grain_key_hash, state_name_hash, payload, version)
        VALUES (p_service_id, p_state_name, p_n0, p_n1, p_text, p_key_hash, p_state_name_hash, p_payload, 1)
        ON CONFLICT (service_id, state_name, grain_key_n0, grain_key_n1, (coalesce(grain_key_text, '')))
        DO NOTHING
        RETURNING version INTO new_version;
        RETURN new_version;
    END IF;

    UPDATE orleans_grain_state
       SET payload = p_payload, version = version + 1, written_at = now(),
           grain_key_hash = p_key_hash, state_name_hash = p_state_name_hash
     WHERE service_id = p_service_id AND state_name = p_state_name
       AND grain_key_n0 = p_n0 AND grain_key_n1 = p_n1 AND coalesce(grain_key_text, '') = coalesce(p_text, '')
       AND version = p_expected_version
    RETURNING version INTO new_version;
    RETURN new_version;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

('WriteToStorageKey', $q$
SELECT orleans_grain_state_write(@ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdN0, @GrainIdN1,
                                 @GrainIdExtensionString, @GrainIdHash, @GrainStateVersion, @PayloadBinary)
       AS NewGrainStateVersion;
$q$),

-- No row: the grain was never written. A row with a NULL payload: it was cleared, and its version still counts.
('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, version AS Version
  FROM orleans_grain_state
 WHERE service_id = @ServiceId AND state_name = @GrainTypeString
   AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
   AND coalesce(grain_key_text, '') = coalesce(@GrainIdExtensionString, '');
$q$),

-- ClearStateAsync keeps the row (and its version) and drops the payload; no row back means a stale version.
('ClearStorageKey', $q$
UPDATE orleans_grain_state SET payload = NULL, version = version + 1, written_at = now()
 WHERE service_id = @ServiceId AND state_name = @GrainTypeString
   AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
   AND coalesce(grain_key_text, '') = coalesce(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
$q$),

-- Used instead of ClearStorageKey when DeleteStateOnClear is set. The provider compares the answer with the
-- version it sent, so a successful delete answers that version plus one.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
 WHERE service_id = @ServiceId AND state_name = @GrainTypeString
   AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
   AND coalesce(grain_key_text, '') = coalesce(@GrainIdExtensionString, '')
   AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
