package dev.hotmem.client;

/**
 * A snapshot ({@code POST /v1/snapshot}): write every memory to a JSONL swap file, gzipped when the
 * name ends with {@code .gz}.
 *
 * @param file a path the server resolves inside its file root (its mount or the database's folder),
 *     or null for its default swap file
 * @param includeEmbeddings true to write each memory's embedding too (base64 float32)
 */
public record SnapshotRequest(String file, Boolean includeEmbeddings) {

  /** Snapshot to {@code file} (null = the server's default), without embeddings. */
  public static SnapshotRequest of(String file) {
    return new SnapshotRequest(file, null);
  }

  /** This request, with each memory's embedding written too. */
  public SnapshotRequest withEmbeddings() {
    return new SnapshotRequest(file, Boolean.TRUE);
  }
}
