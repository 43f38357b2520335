package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException.IncompatibleStore;
import dev.hotmem.embed.Embedder;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.Ulid;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * What a store is: its id, when it was created, and the embedder its vectors come from. Written
 * once, when the store is created; checked on every open, because vectors of another model (or
 * dimension) are not comparable and would silently rank garbage.
 */
final class StoreIdentity {
  static final String STORE_ID = "store_id";
  static final String CREATED_AT = "created_at";
  static final String EMBEDDER_ID = "embedder_id";
  static final String EMBEDDER_DIMENSION = "embedder_dimension";

  private StoreIdentity() {}

  /** The store's metadata table as a map. */
  static Map<String, String> read(SqliteStore.Conn c) throws SQLException {
    Map<String, String> m = new HashMap<>();
    PreparedStatement read = c.prepare("SELECT key, value FROM meta");
    try (ResultSet rs = read.executeQuery()) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getString(2));
      }
    }
    return m;
  }

  static void check(SqliteStore store, Embedder embedder, Clock clock, Ulid ulid) {
    String wantedId = embedder.id();
    String wantedDim = Integer.toString(embedder.dimension());
    Map<String, String> meta =
        store.write(
            "check store identity",
            c -> {
              Map<String, String> m = read(c);
              if (m.isEmpty()) {
                PreparedStatement ins = c.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
                m.put(STORE_ID, ulid.next());
                m.put(CREATED_AT, clock.instant().toString());
                m.put(EMBEDDER_ID, wantedId);
                m.put(EMBEDDER_DIMENSION, wantedDim);
                for (Map.Entry<String, String> e : m.entrySet()) {
                  ins.setString(1, e.getKey());
                  ins.setString(2, e.getValue());
                  ins.executeUpdate();
                }
              }
              return m;
            });
    String storedId = meta.get(EMBEDDER_ID);
    String storedDim = meta.get(EMBEDDER_DIMENSION);
    if (!wantedId.equals(storedId) || !wantedDim.equals(storedDim)) {
      throw new IncompatibleStore(
          store.path()
              + " was created with embedder "
              + storedId
              + " (dimension "
              + storedDim
              + "), but this HotMem is configured with "
              + wantedId
              + " (dimension "
              + wantedDim
              + "): open it with the embedder it was created with");
    }
  }
}
