-- Vitrina's schema for Orleans' ADO.NET providers, part 1: the two tables everything else hangs on.
-- Objects are created unqualified, in the connection's current schema: the providers query them unqualified too,
-- so both resolve through the same search_path.

-- Which version of our scripts this database carries; read by ClusterSchema.Inspect.
CREATE TABLE IF NOT EXISTS vitrina_schema_version (
    component  text        PRIMARY KEY,
    version    integer     NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- The providers read every query they run from here at start-up (SELECT QueryKey, QueryText FROM OrleansQuery),
-- so the table name and both column names are fixed by Orleans; unquoted, PostgreSQL folds them to lower case.
CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text        NOT NULL
);
