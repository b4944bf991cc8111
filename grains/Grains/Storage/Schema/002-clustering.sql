-- Vitrina's schema for Orleans' ADO.NET providers, part 2: cluster membership (Microsoft.Orleans.Clustering.AdoNet).
-- Orleans calls the cluster id "DeploymentId" in its parameters. Every membership change is guarded by the
-- cluster's table version: a write names the version it last read and succeeds only if nobody moved it since.

CREATE TABLE IF NOT EXISTS orleans_cluster (
    cluster_id text        PRIMARY KEY,
    version    integer     NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_cluster_silo (
    cluster_id      text        NOT NULL REFERENCES orleans_cluster (cluster_id) ON DELETE CASCADE,
    address         varchar(45) NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- Adds a silo row and moves the cluster version on, both or neither.
CREATE OR REPLACE FUNCTION orleans_cluster_add_silo(
    p_cluster_id text, p_expected_version integer,
    p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz)
RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
    -- Taking the version row first serialises every membership writer of this cluster.
    UPDATE orleans_cluster SET version = version + 1, changed_at = now()
     WHERE cluster_id = p_cluster_id AND version = p_expected_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_cluster_silo (cluster_id, address, port, generation, silo_name, host_name, status,
                                      proxy_port, start_time, i_am_alive_time)
    VALUES (p_cluster_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
            p_proxy_port, p_start_time, p_i_am_alive_time)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN true;
    END IF;

    -- The silo was already listed: give the version back so a refused insert changes nothing.
    UPDATE orleans_cluster SET version = version - 1 WHERE cluster_id = p_cluster_id;
    RETURN false;
END
$fn$;

-- Changes a silo's status and suspicions and moves the cluster version on, both or neither.
CREATE OR REPLACE FUNCTION orleans_cluster_change_silo(
    p_cluster_id text, p_expected_version integer,
    p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz)
RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE orleans_cluster SET version = version + 1, changed_at = now()
     WHERE cluster_id = p_cluster_id AND version = p_expected_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_cluster_silo
       SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
     WHERE cluster_id = p_cluster_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF FOUND THEN
        RETURN true;
    END IF;

    UPDATE orleans_cluster SET version = version - 1 WHERE cluster_id = p_cluster_id;
    RETURN false;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- One boolean: true when this call created the cluster's version row.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_cluster (cluster_id) VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM created);
$q$),

-- The provider takes the table version from the first row and a silo from every row with a StartTime, so the
-- version row is outer-joined: a cluster with no (matching) silo still answers with one row.
('MembershipReadAllKey', $q$
SELECT c.version AS Version, s.address AS Address, s.port AS Port, s.generation AS Generation,
       s.silo_name AS SiloName, s.host_name AS HostName, s.status AS Status, s.proxy_port AS ProxyPort,
       s.suspect_times AS SuspectTimes, s.start_time AS StartTime, s.i_am_alive_time AS IAmAliveTime
  FROM orleans_cluster c
  LEFT JOIN orleans_cluster_silo s ON s.cluster_id = c.cluster_id
 WHERE c.cluster_id = @DeploymentId;
$q$),

('MembershipReadRowKey', $q$
SELECT c.version AS Version, s.address AS Address, s.port AS Port, s.generation AS Generation,
       s.silo_name AS SiloName, s.host_name AS HostName, s.status AS Status, s.proxy_port AS ProxyPort,
       s.suspect_times AS SuspectTimes, s.start_time AS StartTime, s.i_am_alive_time AS IAmAliveTime
  FROM orleans_cluster c
  LEFT JOIN orleans_cluster_silo s
    ON s.cluster_id = c.cluster_id AND s.address = @Address AND s.port = @Port AND s.generation = @Generation
 WHERE c.cluster_id = @DeploymentId;
$q$),

('InsertMembershipKey', $q$
SELECT orleans_cluster_add_silo(@DeploymentId, @Version, @Address, @Port, @Generation, @SiloName, @HostName,
                                @Status, @ProxyPort, @StartTime, @IAmAliveTime);
$q$),

('UpdateMembershipKey', $q$
SELECT orleans_cluster_change_silo(@DeploymentId, @Version, @Address, @Port, @Generation, @Status,
                                   @SuspectTimes, @IAmAliveTime);
$q$),

-- Heartbeats do not move the table version: they are not membership changes.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_cluster_silo SET i_am_alive_time = @IAmAliveTime
 WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$q$),

-- Silo rows go with their cluster (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_cluster WHERE cluster_id = @DeploymentId;
$q$),

-- Required by the provider even when the per-row variant below exists; 6 is SiloStatus.Dead.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_cluster_silo
 WHERE cluster_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime;
$q$),

-- Optional since Orleans 10: the provider picks dead rows itself and deletes each only if it is still exactly the
-- row it read, so a silo that came back meanwhile is never removed.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_cluster_silo
 WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
   AND status = 6 AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
   AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$q$),

-- Clients' gateway list: silos in the asked status (Active) that accept clients.
('GatewaysQueryKey', $q$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
  FROM orleans_cluster_silo
 WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
