package dev.hotmem.internal.store;

import dev.hotmem.internal.search.FtsQuery;
import java.util.List;

/**
 * The numbered schema migrations. Each runs in its own transaction and sets {@code PRAGMA
 * user_version} to its number; a store whose version is above {@link #LATEST} was written by a
 * newer HotMem and is refused. Never edit a published migration: append a new one.
 */
final class Migrations {

  /** {@code PRAGMA application_id} of every HotMem store: "HMEM" in ASCII. */
  static final int APPLICATION_ID = 0x484D454D;

  record Migration(int version, String description, List<String> statements) {}

  /** How many entries of {@code row_events} the triggers keep (schema version 5). */
  static final int EVENTS_KEPT = 100_000;

  static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              "memories, vectors, FTS5 index, store metadata",
              List.of(
                  """
                  CREATE TABLE meta (
                    key   TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                  ) STRICT
                  """,
                  """
                  CREATE TABLE memories (
                    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
                    id               TEXT NOT NULL UNIQUE,
                    namespace        TEXT NOT NULL,
                    identifier       TEXT NOT NULL,
                    content          TEXT NOT NULL,
                    kind             TEXT NOT NULL,
                    importance       REAL NOT NULL CHECK (importance BETWEEN 0 AND 1),
                    category         TEXT,
                    scope            TEXT,
                    source           TEXT,
                    metadata         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
                    content_hash     TEXT NOT NULL,
                    created_at       INTEGER NOT NULL,
                    updated_at       INTEGER NOT NULL,
                    last_accessed_at INTEGER,
                    access_count     INTEGER NOT NULL DEFAULT 0,
                    expires_at       INTEGER,
                    status           TEXT NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'superseded', 'archived', 'forgotten')),
                    superseded_by    TEXT,
                    embedding_model  TEXT NOT NULL,
                    embedding        BLOB NOT NULL
                  ) STRICT
                  """,
                  // A duplicate add (same namespace, identifier and content) of an active memory
                  // returns the existing one: this index is the arbiter, even across processes.
                  """
                  CREATE UNIQUE INDEX memories_active_hash
                    ON memories (namespace, content_hash) WHERE status = 'active'
                  """,
                  "CREATE INDEX memories_ns_created ON memories (namespace, created_at)",
                  "CREATE INDEX memories_ns_identifier ON memories (namespace, identifier, created_at)",
                  """
                  CREATE INDEX memories_expiry ON memories (expires_at)
                    WHERE expires_at IS NOT NULL
                  """,
                  "CREATE VIRTUAL TABLE memories_fts USING fts5(content, identifier,"
                      + " content='memories', content_rowid='seq', tokenize='"
                      + FtsQuery.TOKENIZER
                      + "')",
                  // New rows reach the index through MemoryRepository.indexForSearch, once per
                  // batch
                  // in the inserting transaction, not through a per-row trigger: FTS5 flushes its
                  // pending terms at every statement, so a trigger wrote one tiny segment per row
                  // (40 us a row against 4 us set-based; docs/BENCHMARKS.md). Deletes and content
                  // updates are rare and keep their triggers.
                  // Identifier matches count half as much as content matches.
                  "INSERT INTO memories_fts (memories_fts, rank) VALUES ('rank', 'bm25(1.0, 0.5)')",
                  """
                  CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
                    INSERT INTO memories_fts (memories_fts, rowid, content, identifier)
                      VALUES ('delete', old.seq, old.content, old.identifier);
                  END
                  """,
                  """
                  CREATE TRIGGER memories_fts_update AFTER UPDATE OF content, identifier ON memories
                  BEGIN
                    INSERT INTO memories_fts (memories_fts, rowid, content, identifier)
                      VALUES ('delete', old.seq, old.content, old.identifier);
                    INSERT INTO memories_fts (rowid, content, identifier)
                      VALUES (new.seq, new.content, new.identifier);
                  END
                  """)),
          new Migration(
              2,
              "a change counter for derived indexes",
              List.of(
                  // Bumped by every change that a vector index reflects: rows added or deleted,
                  // and updates of their namespace, identifier, status or embedding. A derived
                  // file (the ANN side-file) records the counter it includes; a different value
                  // on open means the file may miss something. A trigger, not the repository,
                  // so that no write path can forget it (about 0.7 us a row on bulk inserts).
                  """
                  CREATE TABLE changes (
                    id      INTEGER PRIMARY KEY CHECK (id = 1),
                    counter INTEGER NOT NULL
                  ) STRICT
                  """,
                  "INSERT INTO changes (id, counter) VALUES (1, 0)",
                  """
                  CREATE TRIGGER memories_changes_insert AFTER INSERT ON memories BEGIN
                    UPDATE changes SET counter = counter + 1 WHERE id = 1;
                  END
                  """,
                  """
                  CREATE TRIGGER memories_changes_delete AFTER DELETE ON memories BEGIN
                    UPDATE changes SET counter = counter + 1 WHERE id = 1;
                  END
                  """,
                  """
                  CREATE TRIGGER memories_changes_update
                    AFTER UPDATE OF namespace, identifier, status, embedding_model, embedding
                    ON memories
                  BEGIN
                    UPDATE changes SET counter = counter + 1 WHERE id = 1;
                  END
                  """)),
          new Migration(
              3,
              "a memory's context (the text it answers or follows), searched at a fifth of content",
              List.of(
                  "ALTER TABLE memories ADD COLUMN context TEXT",
                  // An FTS5 table's columns are fixed: drop it and its triggers, create it with
                  // the new column, and rebuild it from the rows (one pass over the store).
                  "DROP TRIGGER memories_fts_delete",
                  "DROP TRIGGER memories_fts_update",
                  "DROP TABLE memories_fts",
                  "CREATE VIRTUAL TABLE memories_fts USING fts5(content, identifier, context,"
                      + " content='memories', content_rowid='seq', tokenize='"
                      + FtsQuery.TOKENIZER
                      + "')",
                  // A context word is a weaker sign than a content word: the memory follows the
                  // words of its context but does not say them. 0.2 measured best on LoCoMo
                  // (docs/BENCHMARKS.md); identifier words stay at half.
                  "INSERT INTO memories_fts (memories_fts, rank) VALUES ('rank', 'bm25(1.0, 0.5, 0.2)')",
                  "INSERT INTO memories_fts (memories_fts) VALUES ('rebuild')",
                  """
                  CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
                    INSERT INTO memories_fts (memories_fts, rowid, content, identifier, context)
                      VALUES ('delete', old.seq, old.content, old.identifier, old.context);
                  END
                  """,
                  """
                  CREATE TRIGGER memories_fts_update
                    AFTER UPDATE OF content, identifier, context ON memories
                  BEGIN
                    INSERT INTO memories_fts (memories_fts, rowid, content, identifier, context)
                      VALUES ('delete', old.seq, old.content, old.identifier, old.context);
                    INSERT INTO memories_fts (rowid, content, identifier, context)
                      VALUES (new.seq, new.content, new.identifier, new.context);
                  END
                  """)),
          new Migration(
              4,
              "fact memory: tiers, scopes, ticks",
              List.of(
                  // A fact is an ordinary memory (kind = its type, identifier = its target); this
                  // row adds what only the fact layer needs. Erasing the memory erases it.
                  """
                  CREATE TABLE fact_state (
                    memory_id     TEXT PRIMARY KEY
                                    REFERENCES memories (id) ON DELETE CASCADE,
                    namespace     TEXT NOT NULL,
                    tier          TEXT NOT NULL CHECK (tier IN ('hot', 'cold', 'archived')),
                    tokens        INTEGER NOT NULL,
                    tier_at       INTEGER NOT NULL,
                    superseded_at INTEGER
                  ) STRICT
                  """,
                  "CREATE INDEX fact_state_tier ON fact_state (namespace, tier)",
                  // Archiving a closed scope's facts, and recall filtered by scope, find a
                  // scope's active rows here instead of scanning the namespace.
                  "CREATE INDEX memories_ns_scope ON memories (namespace, scope, status)"
                      + " WHERE scope IS NOT NULL",
                  """
                  CREATE TABLE fact_scopes (
                    namespace         TEXT NOT NULL,
                    scope             TEXT NOT NULL,
                    state             TEXT NOT NULL CHECK (state IN ('open', 'closed')),
                    opened_at         INTEGER NOT NULL,
                    closed_at         INTEGER,
                    closed_reason     TEXT,
                    idle_ticks        INTEGER NOT NULL DEFAULT 0,
                    foreign_ticks     INTEGER NOT NULL DEFAULT 0,
                    writes_since_tick INTEGER NOT NULL DEFAULT 0,
                    last_write_at     INTEGER NOT NULL,
                    PRIMARY KEY (namespace, scope)
                  ) STRICT
                  """,
                  """
                  CREATE TABLE fact_ticks (
                    namespace TEXT NOT NULL,
                    turn      INTEGER NOT NULL,
                    ticked_at INTEGER NOT NULL,
                    result    TEXT NOT NULL CHECK (json_valid(result)),
                    PRIMARY KEY (namespace, turn)
                  ) STRICT
                  """,
                  """
                  CREATE TABLE fact_pressure (
                    namespace    TEXT PRIMARY KEY,
                    actions      TEXT NOT NULL CHECK (json_valid(actions)),
                    applied_at   INTEGER NOT NULL
                  ) STRICT
                  """)),
          new Migration(
              5,
              "a log of row changes, for every process's in-memory indexes",
              List.of(
                  // One entry per change of a stored row that an in-memory index holds (status,
                  // importance) and per erased row, in commit order (AUTOINCREMENT: only one
                  // writer at a time, so a reader's snapshot sees a prefix). Each process applies
                  // the entries above its cursor; new rows need none (their keys are above the
                  // watermark). The log keeps the last EVENTS_KEPT entries: a process whose cursor
                  // fell below them has missed some (its keyword index loads again; its vector
                  // index's statuses wait for the next open, recall re-checking meanwhile).
                  """
                  CREATE TABLE row_events (
                    id  INTEGER PRIMARY KEY AUTOINCREMENT,
                    seq INTEGER NOT NULL
                  ) STRICT
                  """,
                  """
                  CREATE TRIGGER memories_events_update AFTER UPDATE OF status, importance
                    ON memories
                    WHEN old.status IS NOT new.status OR old.importance IS NOT new.importance
                  BEGIN
                    INSERT INTO row_events (seq) VALUES (new.seq);
                    DELETE FROM row_events
                      WHERE id <= (SELECT max(id) FROM row_events) - %d;
                  END
                  """
                      .formatted(EVENTS_KEPT),
                  """
                  CREATE TRIGGER memories_events_delete AFTER DELETE ON memories BEGIN
                    INSERT INTO row_events (seq) VALUES (old.seq);
                    DELETE FROM row_events
                      WHERE id <= (SELECT max(id) FROM row_events) - %d;
                  END
                  """
                      .formatted(EVENTS_KEPT))));

  static final int LATEST = ALL.get(ALL.size() - 1).version();

  private Migrations() {}
}
