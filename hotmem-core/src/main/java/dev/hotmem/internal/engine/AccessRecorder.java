package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException;
import dev.hotmem.internal.store.MemoryRepository;
import dev.hotmem.internal.store.SqliteStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects recall hits in memory and writes them back in one small transaction per flush, so a
 * recall never takes the write lock and never waits for a writer. Counts reach the file within one
 * flush interval, and on close.
 */
final class AccessRecorder {
  private record Pending(long hits, long lastMillis) {
    Pending plus(Pending o) {
      return new Pending(hits + o.hits, Math.max(lastMillis, o.lastMillis));
    }
  }

  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();

  void record(long seq, long nowMillis) {
    pending.merge(seq, new Pending(1, nowMillis), Pending::plus);
  }

  /** Writes what was collected; on failure puts it back for the next flush and rethrows. */
  int flush(SqliteStore store) {
    if (pending.isEmpty()) {
      return 0;
    }
    List<Map.Entry<Long, Pending>> batch = new ArrayList<>();
    for (Long seq : pending.keySet()) {
      Pending p = pending.remove(seq);
      if (p != null) {
        batch.add(Map.entry(seq, p));
      }
    }
    try {
      store.write(
          "record access",
          c -> {
            for (Map.Entry<Long, Pending> e : batch) {
              MemoryRepository.recordAccess(
                  c, e.getKey(), e.getValue().hits(), e.getValue().lastMillis());
            }
            return null;
          });
      return batch.size();
    } catch (HotMemException e) {
      for (Map.Entry<Long, Pending> en : batch) {
        pending.merge(en.getKey(), en.getValue(), Pending::plus);
      }
      throw e;
    }
  }
}
