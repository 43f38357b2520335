package dev.hotmem.internal.store;

import dev.hotmem.Memory;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryStatus;
import dev.hotmem.SortOrder;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every SQL statement about memories, in one place. Every value is bound; the only SQL built at run
 * time is the filter clause, assembled from fixed fragments (never from user text). Methods take
 * the connection of the caller's transaction and are otherwise stateless.
 */
public final class MemoryRepository {

  /** A memory with its row key. */
  public record Row(long seq, Memory memory) {}

  /** A stored vector with the attributes the vector index filters on. */
  public record VectorRow(
      long seq, String namespace, String identifier, MemoryStatus status, byte[] vector) {}

  static final String COLUMNS =
      "m.seq, m.id, m.namespace, m.identifier, m.content, m.kind, m.importance, m.category,"
          + " m.scope, m.source, m.metadata, m.content_hash, m.created_at, m.updated_at,"
          + " m.last_accessed_at, m.access_count, m.expires_at, m.status, m.superseded_by,"
          + " m.context";

  private static final String NOT_EXPIRED = "(m.expires_at IS NULL OR m.expires_at > ?)";

  private static final String INSERT_COLUMNS =
      "INSERT INTO memories (id, namespace, identifier, content, kind, importance, category, scope,"
          + " source, metadata, content_hash, created_at, updated_at, expires_at, status,"
          + " embedding_model, embedding, context)";
  private static final String ROW_VALUES =
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)";
  private static final String ON_DUPLICATE =
      " ON CONFLICT (namespace, content_hash) WHERE status = 'active' DO NOTHING";
  private static final String INSERT =
      INSERT_COLUMNS + " VALUES " + ROW_VALUES + ON_DUPLICATE + " RETURNING seq";

  private MemoryRepository() {}

  /** The fields of a new row; {@code metadataJson} is already validated. */
  public record NewRow(
      String id,
      String namespace,
      String identifier,
      String content,
      String kind,
      double importance,
      String category,
      String scope,
      String source,
      String metadataJson,
      String contentHash,
      long createdAt,
      Long expiresAt,
      String embeddingModel,
      float[] embedding,
      String context) {}

  /** Rows per multi-row INSERT: one statement execution instead of 64. */
  static final int INSERT_CHUNK = 64;

  /**
   * Inserts rows, each unless an active memory with the same namespace and content hash exists.
   *
   * @return the seq of each inserted row by id; duplicates are absent
   */
  public static Map<String, Long> insertAll(Conn c, List<NewRow> rows) throws SQLException {
    Map<String, Long> seqs = new HashMap<>(rows.size() * 2);
    for (int from = 0; from < rows.size(); from += INSERT_CHUNK) {
      List<NewRow> chunk = rows.subList(from, Math.min(rows.size(), from + INSERT_CHUNK));
      PreparedStatement ps = c.prepare(multiRowInsert(chunk.size()));
      int p = 1;
      for (NewRow r : chunk) {
        p = bindRow(ps, p, r);
      }
      // RETURNING order is unspecified: map by id.
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return seqs;
  }

  private static String multiRowInsert(int rows) {
    StringBuilder sql = new StringBuilder(INSERT_COLUMNS).append(" VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(ROW_VALUES);
    }
    return sql.append(ON_DUPLICATE).append(" RETURNING id, seq").toString();
  }

  /**
   * Inserts a row unless an active memory with the same namespace and content hash exists.
   *
   * @return the new row's seq, or -1 if it was a duplicate
   */
  public static long insert(Conn c, NewRow r) throws SQLException {
    PreparedStatement ps = c.prepare(INSERT);
    bindRow(ps, 1, r);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Binds one row's 17 values from parameter {@code p}; returns the next parameter index. */
  private static int bindRow(PreparedStatement ps, int p, NewRow r) throws SQLException {
    ps.setString(p, r.id());
    ps.setString(p + 1, r.namespace());
    ps.setString(p + 2, r.identifier());
    ps.setString(p + 3, r.content());
    ps.setString(p + 4, r.kind());
    ps.setDouble(p + 5, r.importance());
    setNullableString(ps, p + 6, r.category());
    setNullableString(ps, p + 7, r.scope());
    setNullableString(ps, p + 8, r.source());
    ps.setString(p + 9, r.metadataJson());
    ps.setString(p + 10, r.contentHash());
    ps.setLong(p + 11, r.createdAt());
    ps.setLong(p + 12, r.createdAt());
    if (r.expiresAt() == null) {
      ps.setNull(p + 13, Types.INTEGER);
    } else {
      ps.setLong(p + 13, r.expiresAt());
    }
    ps.setString(p + 14, r.embeddingModel());
    ps.setBytes(p + 15, VectorCodec.encode(r.embedding()));
    setNullableString(ps, p + 16, r.context());
    return p + 17;
  }

  /**
   * Adds rows {@code fromSeq..toSeq} to the full-text index. Every insert into {@code memories}
   * must be followed by this in the same transaction (there is no insert trigger, see {@link
   * Migrations}), so a committed memory is always findable.
   */
  public static void indexForSearch(Conn c, long fromSeq, long toSeq) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO memories_fts (rowid, content, identifier, context)"
                + " SELECT seq, content, identifier, context FROM memories"
                + " WHERE seq BETWEEN ? AND ?");
    ps.setLong(1, fromSeq);
    ps.setLong(2, toSeq);
    ps.executeUpdate();
  }

  /** The active, unexpired memory with this namespace and content hash, or null. */
  public static Row findActiveByHash(Conn c, String namespace, String hash, long now)
      throws SQLException {
    return findActiveByHashes(c, namespace, List.of(hash), now).get(hash);
  }

  /**
   * The active, unexpired memories of {@code namespace} whose content hash is among {@code hashes},
   * by hash: one query for a whole batch.
   */
  public static Map<String, Row> findActiveByHashes(
      Conn c, String namespace, Collection<String> hashes, long now) throws SQLException {
    Map<String, Row> out = new HashMap<>();
    if (hashes.isEmpty()) {
      return out;
    }
    StringBuilder json = new StringBuilder(hashes.size() * 67).append('[');
    for (String h : hashes) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append('"').append(h).append('"'); // lower-case hex: nothing to escape
    }
    PreparedStatement ps =
        c.prepare(
            "SELECT "
                + COLUMNS
                + " FROM json_each(?) AS j CROSS JOIN memories m"
                + " ON m.namespace = ? AND m.content_hash = j.value"
                + " WHERE m.status = 'active' AND "
                + NOT_EXPIRED);
    ps.setString(1, json.append(']').toString());
    ps.setString(2, namespace);
    ps.setLong(3, now);
    for (Row r : rows(ps)) {
      out.put(r.memory().contentHash(), r);
    }
    return out;
  }

  /** The memory with this id unless it is forgotten or expired. */
  public static Row findVisible(Conn c, String id, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT "
                + COLUMNS
                + " FROM memories m WHERE m.id = ? AND m.status <> 'forgotten' AND "
                + NOT_EXPIRED);
    ps.setString(1, id);
    ps.setLong(2, now);
    return single(ps);
  }

  /** The memory with this id in any state, or null. */
  public static Row findAny(Conn c, String id) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT " + COLUMNS + " FROM memories m WHERE m.id = ?");
    ps.setString(1, id);
    return single(ps);
  }

  /** One page of memories passing {@code filter}, ordered by creation time. */
  public static List<Row> list(
      Conn c, MemoryFilter filter, long now, SortOrder order, int limit, long offset)
      throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = FilterSql.where(filter, now, params);
    params.add(limit);
    params.add(offset);
    String dir = order == SortOrder.ASC ? "ASC" : "DESC";
    PreparedStatement ps =
        c.prepare(
            "SELECT "
                + COLUMNS
                + " FROM memories m WHERE "
                + where
                + " ORDER BY m.created_at "
                + dir
                + ", m.seq "
                + dir
                + " LIMIT ? OFFSET ?");
    FilterSql.bind(ps, params);
    return rows(ps);
  }

  public static long count(Conn c, MemoryFilter filter, long now) throws SQLException {
    List<Object> params = new ArrayList<>();
    String where = FilterSql.where(filter, now, params);
    PreparedStatement ps = c.prepare("SELECT count(*) FROM memories m WHERE " + where);
    FilterSql.bind(ps, params);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Active, unexpired memories in every namespace. */
  public static long countActive(Conn c, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare("SELECT count(*) FROM memories m WHERE m.status = 'active' AND " + NOT_EXPIRED);
    ps.setLong(1, now);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Applies an update to the visible memory with this id; returns false if there is none. */
  public static boolean update(
      Conn c, String id, Double importance, String metadataJson, String category, long now)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "UPDATE memories SET importance = coalesce(?, importance),"
                + " metadata = coalesce(?, metadata),"
                + " category = CASE WHEN ? THEN nullif(?, '') ELSE category END,"
                + " updated_at = ?"
                + " WHERE id = ? AND status <> 'forgotten'"
                + " AND (expires_at IS NULL OR expires_at > ?)");
    if (importance == null) {
      ps.setNull(1, Types.REAL);
    } else {
      ps.setDouble(1, importance);
    }
    setNullableString(ps, 2, metadataJson);
    ps.setBoolean(3, category != null);
    setNullableString(ps, 4, category);
    ps.setLong(5, now);
    ps.setString(6, id);
    ps.setLong(7, now);
    return ps.executeUpdate() == 1;
  }

  /** Marks the visible memory with this id forgotten; returns its seq, or -1 if there is none. */
  public static long forget(Conn c, String id, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "UPDATE memories SET status = 'forgotten', updated_at = ?"
                + " WHERE id = ? AND status <> 'forgotten'"
                + " AND (expires_at IS NULL OR expires_at > ?) RETURNING seq");
    ps.setLong(1, now);
    ps.setString(2, id);
    ps.setLong(3, now);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /**
   * Erases the memory with this id in any state: row, FTS entry (trigger) and vector (cascade).
   *
   * @return its seq, or -1 if there is none
   */
  public static long purge(Conn c, String id) throws SQLException {
    PreparedStatement ps = c.prepare("DELETE FROM memories WHERE id = ? RETURNING seq");
    ps.setString(1, id);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Whether any memory has expired by {@code now} (one probe of the expiry index). */
  public static boolean anyExpired(Conn c, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT 1 FROM memories WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT 1");
    ps.setLong(1, now);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /** Erases every memory expired by {@code now}; returns their seqs. */
  public static List<Long> purgeExpired(Conn c, long now) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "DELETE FROM memories WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING seq");
    ps.setLong(1, now);
    List<Long> seqs = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        seqs.add(rs.getLong(1));
      }
    }
    return seqs;
  }

  /**
   * Erases the expired active memory with this namespace and content hash, if any: it would block a
   * new memory with the same content through the unique index. Returns its seq, or -1.
   */
  public static long purgeExpiredDuplicate(Conn c, String namespace, String hash, long now)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "DELETE FROM memories WHERE namespace = ? AND content_hash = ? AND status = 'active'"
                + " AND expires_at IS NOT NULL AND expires_at <= ? RETURNING seq");
    ps.setString(1, namespace);
    ps.setString(2, hash);
    ps.setLong(3, now);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Adds recall hits to the access counters. */
  public static void recordAccess(Conn c, long seq, long hits, long lastAccessMillis)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "UPDATE memories SET access_count = access_count + ?,"
                + " last_accessed_at = max(coalesce(last_accessed_at, 0), ?) WHERE seq = ?");
    ps.setLong(1, hits);
    ps.setLong(2, lastAccessMillis);
    ps.setLong(3, seq);
    ps.executeUpdate();
  }

  /**
   * The store's change counter: bumped by every added or deleted row and every change of a row's
   * namespace, identifier, status or embedding (schema version 2 triggers).
   */
  public static long changeCounter(Conn c) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT counter FROM changes WHERE id = 1");
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** The largest row key ever assigned (AUTOINCREMENT never reuses one), or 0. */
  public static long maxSeq(Conn c) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT coalesce(max(seq), 0) FROM memories");
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * The keys and statuses of the non-forgotten memories with {@code seq <= to} (the rows a vector
   * index holds), keys ascending. One pass; at 1,000,000 rows 8 MB of keys.
   */
  public static IndexedRows indexedRowsUpTo(Conn c, long to) throws SQLException {
    PreparedStatement ps =
        c.prepare("SELECT seq, status FROM memories WHERE seq <= ? AND status <> 'forgotten'");
    ps.setLong(1, to);
    MemoryStatus[] statuses = MemoryStatus.values();
    long[] codes = new long[1024];
    int n = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (n == codes.length) {
          codes = Arrays.copyOf(codes, n * 2);
        }
        // Key and status in one long, so that one primitive sort orders both (keys < 2^59).
        codes[n++] = rs.getLong(1) << 3 | MemoryStatus.parse(rs.getString(2)).ordinal();
      }
    }
    Arrays.sort(codes, 0, n);
    long[] keys = new long[n];
    MemoryStatus[] of = new MemoryStatus[n];
    for (int i = 0; i < n; i++) {
      keys[i] = codes[i] >>> 3;
      of[i] = statuses[(int) (codes[i] & 7)];
    }
    return new IndexedRows(keys, of);
  }

  /** Row keys, ascending, and their statuses; see {@link #indexedRowsUpTo}. */
  public record IndexedRows(long[] keys, MemoryStatus[] statuses) {}

  /** Streams the vectors of non-forgotten memories with {@code from < seq <= to}, in seq order. */
  public static void forEachVector(
      Conn c, long from, long to, String model, Consumer<VectorRow> sink) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT m.seq, m.namespace, m.identifier, m.status, m.embedding, m.embedding_model"
                + " FROM memories m"
                + " WHERE m.seq > ? AND m.seq <= ? AND m.status <> 'forgotten' ORDER BY m.seq");
    ps.setLong(1, from);
    ps.setLong(2, to);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String rowModel = rs.getString(6);
        if (!model.equals(rowModel)) {
          throw new IllegalStateException(
              "memory "
                  + rs.getLong(1)
                  + " has a vector of model "
                  + rowModel
                  + ", the store's model is "
                  + model);
        }
        sink.accept(
            new VectorRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                MemoryStatus.parse(rs.getString(4)),
                rs.getBytes(5)));
      }
    }
  }

  private static Row single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? toRow(rs) : null;
    }
  }

  private static List<Row> rows(PreparedStatement ps) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(toRow(rs));
      }
    }
    return out;
  }

  static Row toRow(ResultSet rs) throws SQLException {
    Memory m =
        new Memory(
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getDouble(7),
            rs.getString(8),
            rs.getString(9),
            rs.getString(10),
            MetadataCodec.decode(rs.getString(11)),
            rs.getString(12),
            Instant.ofEpochMilli(rs.getLong(13)),
            Instant.ofEpochMilli(rs.getLong(14)),
            nullableInstant(rs, 15),
            rs.getLong(16),
            nullableInstant(rs, 17),
            MemoryStatus.parse(rs.getString(18)),
            rs.getString(19),
            rs.getString(20));
    return new Row(rs.getLong(1), m);
  }

  private static Instant nullableInstant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  /** Binds {@code v}, or SQL NULL when it is null. */
  public static void setNullableLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setLong(i, v);
    }
  }

  /** Binds {@code v}, or SQL NULL when it is null. */
  public static void setNullableString(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }
}
