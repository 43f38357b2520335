package dev.hotmem.internal.store;

import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryStatus;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The WHERE clause of a {@link MemoryFilter} over {@code memories m}, from fixed fragments with
 * every value bound. Expired memories are always excluded.
 */
final class FilterSql {
  private FilterSql() {}

  static String where(MemoryFilter f, long now, List<Object> params) {
    StringBuilder sql = new StringBuilder("m.namespace = ?");
    params.add(f.namespace());
    if (f.statuses().size() == 1) {
      sql.append(" AND m.status = ?");
      params.add(f.statuses().iterator().next().wire());
    } else {
      sql.append(" AND m.status IN (");
      boolean first = true;
      for (MemoryStatus s : MemoryStatus.values()) {
        if (f.statuses().contains(s)) {
          sql.append(first ? "?" : ", ?");
          params.add(s.wire());
          first = false;
        }
      }
      sql.append(')');
    }
    if (f.identifier() != null) {
      sql.append(" AND m.identifier = ?");
      params.add(f.identifier());
    }
    if (f.category() != null) {
      sql.append(" AND m.category = ?");
      params.add(f.category());
    }
    if (f.kind() != null) {
      sql.append(" AND m.kind = ?");
      params.add(f.kind());
    }
    if (f.scope() != null) {
      sql.append(" AND m.scope = ?");
      params.add(f.scope());
    }
    if (f.createdAfter() != null) {
      sql.append(" AND m.created_at > ?");
      params.add(f.createdAfter().toEpochMilli());
    }
    if (f.createdBefore() != null) {
      sql.append(" AND m.created_at < ?");
      params.add(f.createdBefore().toEpochMilli());
    }
    sql.append(" AND (m.expires_at IS NULL OR m.expires_at > ?)");
    params.add(now);
    return sql.toString();
  }

  /** Whether the filter constrains attributes that the vector index does not hold. */
  static boolean hasExtraConstraints(MemoryFilter f) {
    return f.category() != null
        || f.kind() != null
        || f.scope() != null
        || f.createdAfter() != null
        || f.createdBefore() != null;
  }

  /** Binds the parameters {@link #where} collected (strings, longs, ints), in order. */
  static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof String s) {
        ps.setString(i + 1, s);
      } else if (p instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (p instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        throw new IllegalArgumentException("unsupported parameter type " + p);
      }
    }
  }
}
