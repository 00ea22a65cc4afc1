-- The same log table as sqlite/V1__store_log.sql (the kine design): the row id is the revision, the
-- newest row of a name is its current state, and a row with deleted = 1 is a tombstone.
-- Differences: a BIGINT identity instead of AUTOINCREMENT, BYTEA instead of BLOB, and names compared
-- bytewise (COLLATE "C") so ranges and key order match SQLite and etcd whatever the database locale.
CREATE TABLE store_log (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            TEXT    COLLATE "C" NOT NULL,
    created         INTEGER NOT NULL DEFAULT 0,
    deleted         INTEGER NOT NULL DEFAULT 0,
    -- 0 on the creating row itself, whose own id is the create revision
    create_revision BIGINT  NOT NULL,
    -- the row this one replaces: 0 for the first create of a name, the tombstone's id for a re-create
    prev_revision   BIGINT  NOT NULL,
    -- NULL on tombstones: the deleted value is old_value
    value           BYTEA,
    old_value       BYTEA,
    -- two writers that replace the same revision of a name collide here
    UNIQUE (name, prev_revision)
);

-- the newest row of a name, and prefix scans in key order
CREATE INDEX store_log_name_id ON store_log (name, id);

-- Compaction state (one row). revision: the oldest revision still readable by list and watch.
-- swept_revision: history superseded at or below it has been deleted (compaction runs in batches
-- and resumes from here after a restart).
CREATE TABLE store_compaction (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    revision       BIGINT  NOT NULL,
    swept_revision BIGINT  NOT NULL
);

INSERT INTO store_compaction (id, revision, swept_revision) VALUES (1, 0, 0);
