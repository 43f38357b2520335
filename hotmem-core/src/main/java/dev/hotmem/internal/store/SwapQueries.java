package dev.hotmem.internal.store;

import dev.hotmem.Memory;
import dev.hotmem.MemoryStatus;
import dev.hotmem.internal.store.SqliteStore.Conn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of swap files: loading rows exactly as a snapshot wrote them, and streaming every row
 * out. Every value is bound.
 */
public final class SwapQueries {
  private SwapQueries() {}

  /**
   * A row loaded from a swap file: every column given, nothing defaulted.
   *
   * @param embedding float32 little-endian bytes of the store's dimension
   */
  public record ImportRow(
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
      long updatedAt,
      Long lastAccessedAt,
      long accessCount,
      Long expiresAt,
      MemoryStatus status,
      String supersededBy,
      String embeddingModel,
      byte[] embedding,
      String context) {}

  private static final String IMPORT_COLUMNS =
      "INSERT INTO memories (id, namespace, identifier, content, kind, importance, category, scope,"
          + " source, metadata, content_hash, created_at, updated_at, last_accessed_at,"
          + " access_count, expires_at, status, superseded_by, embedding_model, embedding,"
          + " context)";
  private static final String IMPORT_VALUES =
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final int IMPORT_CHUNK = 32;

  /**
   * Inserts rows as they are, each unless it conflicts with a stored row: the same id, or (for an
   * active row) an active memory with the same namespace and content hash. Like {@link
   * MemoryRepository#insertAll}, must be followed by {@link MemoryRepository#indexForSearch} in the
   * same transaction.
   *
   * @return the seq of each inserted row by id; skipped rows are absent
   */
  public static Map<String, Long> insertImported(Conn c, List<ImportRow> rows) throws SQLException {
    Map<String, Long> seqs = new HashMap<>(rows.size() * 2);
    for (int from = 0; from < rows.size(); from += IMPORT_CHUNK) {
      List<ImportRow> chunk = rows.subList(from, Math.min(rows.size(), from + IMPORT_CHUNK));
      StringBuilder sql = new StringBuilder(IMPORT_COLUMNS).append(" VALUES ");
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(IMPORT_VALUES);
      }
      PreparedStatement ps =
          c.prepare(sql.append(" ON CONFLICT DO NOTHING RETURNING id, seq").toString());
      int p = 1;
      for (ImportRow r : chunk) {
        ps.setString(p++, r.id());
        ps.setString(p++, r.namespace());
        ps.setString(p++, r.identifier());
        ps.setString(p++, r.content());
        ps.setString(p++, r.kind());
        ps.setDouble(p++, r.importance());
        MemoryRepository.setNullableString(ps, p++, r.category());
        MemoryRepository.setNullableString(ps, p++, r.scope());
        MemoryRepository.setNullableString(ps, p++, r.source());
        ps.setString(p++, r.metadataJson());
        ps.setString(p++, r.contentHash());
        ps.setLong(p++, r.createdAt());
        ps.setLong(p++, r.updatedAt());
        MemoryRepository.setNullableLong(ps, p++, r.lastAccessedAt());
        ps.setLong(p++, r.accessCount());
        MemoryRepository.setNullableLong(ps, p++, r.expiresAt());
        ps.setString(p++, r.status().wire());
        MemoryRepository.setNullableString(ps, p++, r.supersededBy());
        ps.setString(p++, r.embeddingModel());
        ps.setBytes(p++, r.embedding());
        MemoryRepository.setNullableString(ps, p++, r.context());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return seqs;
  }

  /** Which of {@code ids} are stored, in any status. */
  public static Set<String> existingIds(Conn c, List<String> ids) throws SQLException {
    Set<String> found = new HashSet<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      PreparedStatement ps =
          c.prepare(
              "SELECT id FROM memories WHERE id IN ("
                  + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                  + ")");
      for (int i = 0; i < chunk.size(); i++) {
        ps.setString(i + 1, chunk.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }

  /** Receives every stored memory, for a snapshot. */
  @FunctionalInterface
  public interface MemorySink {
    /**
     * @param embeddingModel the vector's model, or null when vectors were not asked for
     * @param embedding the stored vector bytes, or null when vectors were not asked for
     */
    void accept(Memory memory, String embeddingModel, byte[] embedding);
  }

  /** How many rows the table holds, in every status. */
  public static long countAll(Conn c) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT count(*) FROM memories");
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /**
   * Streams every memory of every status in seq order (oldest first), one row in memory at a time.
   */
  public static void forEachMemory(Conn c, boolean withEmbeddings, MemorySink sink)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT "
                + MemoryRepository.COLUMNS
                + (withEmbeddings ? ", m.embedding_model, m.embedding" : "")
                + " FROM memories m ORDER BY m.seq");
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Memory m = MemoryRepository.toRow(rs).memory();
        if (withEmbeddings) {
          sink.accept(m, rs.getString(21), rs.getBytes(22));
        } else {
          sink.accept(m, null, null);
        }
      }
    }
  }
}
