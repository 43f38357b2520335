package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException.IncompatibleStore;
import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.store.Ulid;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a store is: its id, when it was created, and the embedder its vectors come from. Written
 * once, when the store is created; checked on every open, because vectors of another model (or
 * dimension) are not comparable and would silently rank garbage.
 *
 * <p>The embedder's {@link Embedder#spec() spec} is recorded next to its id so that a store opens
 * with its own embedder without flags and a mismatch error can name the {@code --embedder} value to
 * give. It is informative, not part of the check: the id decides whether vectors are comparable.
 * Stores written before specs were recorded get theirs on the next open with the same embedder; for
 * {@code hash-v1-N} ids it is inferred, since the hash embedder is the only one such ids name.
 */
final class StoreIdentity {
  static final String STORE_ID = "store_id";
  static final String CREATED_AT = "created_at";
  static final String EMBEDDER_ID = "embedder_id";
  static final String EMBEDDER_DIMENSION = "embedder_dimension";
  static final String EMBEDDER_SPEC = "embedder_spec";

  private static final Pattern HASH_ID = Pattern.compile("hash-v1-([0-9]{1,4})");

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

  /** Sets one metadata entry. */
  static void put(SqliteStore.Conn c, String key, String value) throws SQLException {
    PreparedStatement put = c.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    put.setString(1, key);
    put.setString(2, value);
    put.executeUpdate();
  }

  /**
   * The spec the metadata records, or, for a store written before specs were recorded, the one its
   * {@code hash-v1-N} id implies; null when neither tells.
   */
  static String recordedSpec(Map<String, String> meta) {
    String spec = meta.get(EMBEDDER_SPEC);
    if (spec != null) {
      return spec;
    }
    String id = meta.get(EMBEDDER_ID);
    Matcher m = id == null ? null : HASH_ID.matcher(id);
    if (m == null || !m.matches()) {
      return null;
    }
    int dim = Integer.parseInt(m.group(1));
    return dim < 1 || dim > HashEmbedder.MAX_DIMENSION ? null : new HashEmbedder(dim).spec();
  }

  /** Creates or checks the store's identity; returns its store id. */
  static String check(SqliteStore store, Embedder embedder, Clock clock, Ulid ulid) {
    String wantedId = embedder.id();
    String wantedDim = Integer.toString(embedder.dimension());
    String wantedSpec = embedder.spec();
    Map<String, String> meta =
        store.write(
            "check store identity",
            c -> {
              Map<String, String> m = read(c);
              if (m.isEmpty()) {
                m.put(STORE_ID, ulid.next());
                m.put(CREATED_AT, clock.instant().toString());
                m.put(EMBEDDER_ID, wantedId);
                m.put(EMBEDDER_DIMENSION, wantedDim);
                if (wantedSpec != null) {
                  m.put(EMBEDDER_SPEC, wantedSpec);
                }
                for (Map.Entry<String, String> e : m.entrySet()) {
                  put(c, e.getKey(), e.getValue());
                }
              } else if (wantedId.equals(m.get(EMBEDDER_ID))
                  && wantedDim.equals(m.get(EMBEDDER_DIMENSION))
                  && wantedSpec != null
                  && !wantedSpec.equals(m.get(EMBEDDER_SPEC))) {
                // Same vectors, a spec not recorded yet (an older store) or spelt another way.
                put(c, EMBEDDER_SPEC, wantedSpec);
                m.put(EMBEDDER_SPEC, wantedSpec);
              }
              return m;
            });
    String storedId = meta.get(EMBEDDER_ID);
    String storedDim = meta.get(EMBEDDER_DIMENSION);
    if (!wantedId.equals(storedId) || !wantedDim.equals(storedDim)) {
      throw mismatch(
          store.path(), storedId, storedDim, recordedSpec(meta), wantedId, wantedDim, wantedSpec);
    }
    return meta.get(STORE_ID);
  }

  /**
   * The error for a store opened with an embedder other than its own: names both and says how to
   * convert the store or open it as it is.
   */
  static IncompatibleStore mismatch(
      Path path,
      String storedId,
      String storedDim,
      String storedSpec,
      String wantedId,
      String wantedDim,
      String wantedSpec) {
    return new IncompatibleStore(
        path
            + " was created with embedder "
            + describe(storedId, storedDim, storedSpec)
            + ", but this HotMem is configured with "
            + describe(wantedId, wantedDim, wantedSpec)
            + ": run 'hotmem reindex --embedder "
            + (wantedSpec != null ? wantedSpec : "SPEC")
            + "' to convert it"
            + (storedSpec != null
                ? ", or open it with '--embedder " + storedSpec + "'"
                : ", or open it with the embedder it was created with"));
  }

  private static String describe(String id, String dim, String spec) {
    return id + " (dimension " + dim + (spec != null ? ", spec " + spec : "") + ")";
  }
}
