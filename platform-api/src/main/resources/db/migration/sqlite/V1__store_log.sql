-- The whole store is one append-only log of changes (the kine design): the row id is the revision,
-- the newest row of a name is its current state, and a row with deleted = 1 is a tombstone.
-- Kept to portable SQL; a PostgreSQL dialect changes only the id type (BIGINT identity) and BLOB (BYTEA).
CREATE TABLE store_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    created         INTEGER NOT NULL DEFAULT 0,
    deleted         INTEGER NOT NULL DEFAULT 0,
    -- 0 on the creating row itself, whose own id is the create revision
    create_revision INTEGER NOT NULL,
    -- the row this one replaces: 0 for the first create of a name, the tombstone's id for a re-create
    prev_revision   INTEGER NOT NULL,
    -- NULL on tombstones: the deleted value is old_value
    value           BLOB,
    old_value       BLOB,
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
    revision       INTEGER NOT NULL,
    swept_revision INTEGER NOT NULL
);

INSERT INTO store_compaction (id, revision, swept_revision) VALUES (1, 0, 0);
