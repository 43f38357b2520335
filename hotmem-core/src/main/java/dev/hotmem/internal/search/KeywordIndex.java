package dev.hotmem.internal.search;

import dev.hotmem.MemoryStatus;
import dev.hotmem.internal.text.PorterStemmer;
import dev.hotmem.internal.text.TextTokenizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An in-memory inverted index over the memories' searchable text that answers recall's keyword
 * stage as the store's FTS5 table would, at a small fraction of the cost: the same terms (the
 * {@code porter unicode61 remove_diacritics 2} tokenizer, mirrored by {@link TextTokenizer} and
 * {@link PorterStemmer}), the same three columns (content, identifier, context) with the same
 * weights, and the same bm25 as FTS5's built-in function, to the last bit where the arithmetic
 * allows ({@code KeywordIndexFts5AgreementTest} checks rankings against SQLite).
 *
 * <p>Like FTS5, the statistics (row count, average length, document frequencies) cover every row
 * the table holds, whatever its status; erased rows leave them. Each document also keeps what the
 * keyword stage filters on without SQLite: namespace, identifier, status and expiry.
 *
 * <p>Thread-safe: searches share a read lock, changes take the write lock.
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li>Documents get ordinals in the order they are added, which must be row-key order ({@link
 *       #add} refuses anything else): posting lists are then sorted by key, a key's ordinal is a
 *       binary search away, and the newest matches are the ends of the lists.
 *   <li>A posting is two ints, the ordinal and the term's count in each column (16 bits for
 *       content, 8 each for identifier and context, saturating: beyond 255 occurrences bm25's term
 *       frequency has long stopped mattering).
 *   <li>The term frequency sums the column weights one occurrence at a time, content first, as FTS5
 *       does; bm25 is computed with FTS5's expression and operand order, so the doubles match.
 *   <li>Erasing drops the row's postings at once, so that searches and frequencies never meet an
 *       erased row: each list is binary-searched for it (about 2 ms at 100,000 memories) or, for a
 *       large batch, all lists are filtered in one pass (about 20 ms).
 *   <li>Changes (status, importance, erasure) are for rows already added; one for a row the index
 *       does not hold is ignored. Its keeper ({@code KeywordSync}) applies the store's log of row
 *       changes only once every row of its snapshot is in, so none is lost.
 * </ul>
 */
public final class KeywordIndex {
  /** bm25 weight of a content word, as the store's FTS5 {@code rank} option sets it. */
  public static final double CONTENT_WEIGHT = 1.0;

  /** bm25 weight of an identifier word. */
  public static final double IDENTIFIER_WEIGHT = 0.5;

  /** bm25 weight of a context word. */
  public static final double CONTEXT_WEIGHT = 0.2;

  private static final double K1 = 1.2;
  private static final double B = 0.75;

  /** Status byte of an erased document: it matches nothing and counts nowhere. */
  private static final byte ERASED = -1;

  private static final MemoryStatus[] STATUSES = MemoryStatus.values();

  /**
   * A row as the index needs it. {@code expiresAt} is {@link Long#MAX_VALUE} for never; importance
   * and creation time are kept as hints for recall ({@link #hints}).
   */
  public record Doc(
      long seq,
      String namespace,
      String identifier,
      MemoryStatus status,
      long expiresAt,
      double importance,
      long createdAt,
      String content,
      String context) {}

  /** Keyword candidates, best first: row keys and their bm25 (higher is better). */
  public record Hits(long[] seqs, double[] scores) {
    public int size() {
      return seqs.length;
    }
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  // Documents, by ordinal.
  private long[] seqs = new long[1024];
  private int[] lengths = new int[1024];
  private int[] namespaces = new int[1024];
  private int[] identifiers = new int[1024];
  private byte[] statuses = new byte[1024];
  private long[] expiries = new long[1024];
  private double[] importances = new double[1024];
  private long[] created = new long[1024];
  private int docs;
  private long rows;
  private long tokens;

  // Terms: postings[t] holds size[t] postings as (ordinal, packed counts) pairs.
  private final Map<String, Integer> terms = new HashMap<>();
  private int[][] postings = new int[1024][];
  private int[] sizes = new int[1024];

  private final Map<String, Integer> namespaceIds = new HashMap<>();
  private final Map<String, Integer> identifierIds = new HashMap<>();

  /** The key up to which every row has been added (or was absent). */
  private long loadedUpTo;

  // ------------------------------------------------------------------ changes

  /**
   * Adds documents whose keys are above every key added so far, in key order, then records that
   * every row up to {@code upTo} has been added.
   *
   * @throws IllegalArgumentException if a key is not above the previous one
   */
  public void addAll(List<KeywordTerms.Prepared> batch, long upTo) {
    lock.writeLock().lock();
    try {
      long previous = Math.max(loadedUpTo, docs > 0 ? seqs[docs - 1] : 0);
      for (KeywordTerms.Prepared p : batch) { // checked first: a refused batch changes nothing
        long seq = p.doc.seq();
        if (seq <= previous) {
          throw new IllegalArgumentException(
              "row " + seq + " is not above the rows before it (" + previous + ")");
        }
        previous = seq;
      }
      for (KeywordTerms.Prepared p : batch) {
        append(p, (byte) p.doc.status().ordinal());
      }
      if (upTo > loadedUpTo) {
        loadedUpTo = upTo;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void append(KeywordTerms.Prepared p, byte status) {
    if (docs == seqs.length) {
      int cap = docs * 2;
      seqs = Arrays.copyOf(seqs, cap);
      lengths = Arrays.copyOf(lengths, cap);
      namespaces = Arrays.copyOf(namespaces, cap);
      identifiers = Arrays.copyOf(identifiers, cap);
      statuses = Arrays.copyOf(statuses, cap);
      expiries = Arrays.copyOf(expiries, cap);
      importances = Arrays.copyOf(importances, cap);
      created = Arrays.copyOf(created, cap);
    }
    int doc = docs++;
    seqs[doc] = p.doc.seq();
    lengths[doc] = p.length;
    namespaces[doc] = intern(namespaceIds, p.doc.namespace());
    identifiers[doc] = intern(identifierIds, p.doc.identifier());
    statuses[doc] = status;
    expiries[doc] = p.doc.expiresAt();
    importances[doc] = p.doc.importance();
    created[doc] = p.doc.createdAt();
    rows++;
    tokens += p.length;
    for (int i = 0; i < p.stems.length; i++) {
      int t = terms.computeIfAbsent(p.stems[i], k -> newTerm());
      int[] list = postings[t];
      int size = sizes[t];
      if (list == null) {
        list = postings[t] = new int[4];
      } else if (2 * size + 2 > list.length) {
        list = postings[t] = Arrays.copyOf(list, list.length * 2);
      }
      list[2 * size] = doc;
      list[2 * size + 1] = p.counts[i];
      sizes[t] = size + 1;
    }
  }

  private int newTerm() {
    int t = terms.size();
    if (t == postings.length) {
      postings = Arrays.copyOf(postings, t * 2);
      sizes = Arrays.copyOf(sizes, t * 2);
    }
    return t;
  }

  private static int intern(Map<String, Integer> ids, String value) {
    return value == null ? -1 : ids.computeIfAbsent(value, k -> ids.size());
  }

  /** Records a row's new status (no-op for rows this index does not hold). */
  public void setStatus(long seq, MemoryStatus status) {
    lock.writeLock().lock();
    try {
      int doc = ordinal(seq);
      if (doc >= 0 && statuses[doc] != ERASED) {
        statuses[doc] = (byte) status.ordinal();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records a row's new importance (no-op for rows this index does not hold). */
  public void setImportance(long seq, double importance) {
    lock.writeLock().lock();
    try {
      int doc = ordinal(seq);
      if (doc >= 0) {
        importances[doc] = importance;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Fills in the importance and creation time the index holds for each row of {@code seqs}, NaN
   * importance for rows it does not hold. Hints: the values of the snapshot the caller's recall
   * brought the index up to (see {@code KeywordSync}), or newer ones a concurrent recall applied.
   */
  public void hints(long[] seqs, double[] importance, long[] createdAt) {
    lock.readLock().lock();
    try {
      for (int i = 0; i < seqs.length; i++) {
        int doc = ordinal(seqs[i]);
        boolean held = doc >= 0 && statuses[doc] != ERASED;
        importance[i] = held ? importances[doc] : Double.NaN;
        createdAt[i] = held ? created[doc] : 0;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Removes erased rows: they match nothing and leave the statistics, as in FTS5. */
  public void erase(List<Long> erased) {
    if (erased.isEmpty()) {
      return;
    }
    lock.writeLock().lock();
    try {
      int[] removed = new int[erased.size()];
      int n = 0;
      for (long seq : erased) {
        int doc = ordinal(seq);
        if (doc >= 0 && statuses[doc] != ERASED) {
          statuses[doc] = ERASED;
          rows--;
          tokens -= lengths[doc];
          removed[n++] = doc;
        }
      }
      if (n > 0) {
        compact(Arrays.copyOf(removed, n));
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Drops the postings of erased documents from every list that has one. Few erased documents are
   * looked up in each list (binary search: the lists are sorted); many are filtered out in one pass
   * over all postings.
   */
  private void compact(int[] erasedDocs) {
    boolean lookUp = erasedDocs.length <= 16;
    for (int t = 0; t < terms.size(); t++) {
      int[] list = postings[t];
      int size = sizes[t];
      if (lookUp) {
        boolean has = false;
        for (int doc : erasedDocs) {
          if (findPosting(list, size, doc) >= 0) {
            has = true;
            break;
          }
        }
        if (!has) {
          continue;
        }
      }
      int kept = 0;
      for (int i = 0; i < size; i++) {
        if (statuses[list[2 * i]] != ERASED) {
          list[2 * kept] = list[2 * i];
          list[2 * kept + 1] = list[2 * i + 1];
          kept++;
        }
      }
      sizes[t] = kept;
    }
  }

  /** The index of {@code doc}'s posting in a list sorted by document, or -1. */
  private static int findPosting(int[] list, int size, int doc) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int d = list[2 * mid];
      if (d < doc) {
        lo = mid + 1;
      } else if (d > doc) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The ordinal of the document with this key, or -1. Caller holds a lock. */
  private int ordinal(long seq) {
    int doc = Arrays.binarySearch(seqs, 0, docs, seq);
    return doc >= 0 ? doc : -1;
  }

  // ------------------------------------------------------------------ reads

  /** The key up to which every row has been added. */
  public long loadedUpTo() {
    lock.readLock().lock();
    try {
      return loadedUpTo;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many rows the statistics count (every status, erased rows excluded). */
  public long rows() {
    lock.readLock().lock();
    try {
      return rows;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many rows contain {@code term} (a {@link FtsQuery#terms} term, stemmed here). */
  public int documentFrequency(String term) {
    String key = KeywordTerms.stemKey(term, new byte[][] {new byte[64]});
    lock.readLock().lock();
    try {
      Integer t = terms.get(key);
      return t == null ? 0 : sizes[t];
    } finally {
      lock.readLock().unlock();
    }
  }

  /** What a search keeps: the memories recall may return, as {@code FilterSql} selects them. */
  public record Filter(String namespace, String identifier, Set<MemoryStatus> statuses, long now) {}

  /**
   * The keyword candidates for the OR of {@code queryTerms} (each a phrase of FTS5's bm25, even
   * when two share a stem): the best {@code limit} by bm25 among the documents passing {@code
   * filter}, or with {@code newestFirst} the newest {@code limit} matching ones, then sorted by
   * bm25. Ties go as they do in FTS5: among the best, the older row ranks first (FTS5 keeps rows in
   * key order); among the newest, the newer.
   */
  public Hits search(List<String> queryTerms, boolean newestFirst, Filter filter, int limit) {
    int n = queryTerms.size();
    byte[][] buf = {new byte[64]};
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = KeywordTerms.stemKey(queryTerms.get(i), buf);
    }
    int statusMask = 0;
    for (MemoryStatus s : filter.statuses()) {
      statusMask |= 1 << s.ordinal();
    }
    lock.readLock().lock();
    try {
      Integer ns = namespaceIds.get(filter.namespace());
      Integer ident = filter.identifier() == null ? null : identifierIds.get(filter.identifier());
      if (ns == null || (filter.identifier() != null && ident == null) || rows == 0) {
        return new Hits(new long[0], new double[0]);
      }
      int[][] lists = new int[n][];
      int[] listSizes = new int[n];
      double[] idf = new double[n];
      for (int i = 0; i < n; i++) {
        Integer t = terms.get(keys[i]);
        if (t != null) {
          lists[i] = postings[t];
          listSizes[i] = sizes[t];
        }
        double hits = listSizes[i];
        double value = Math.log((rows - hits + 0.5) / (hits + 0.5));
        idf[i] = value <= 0.0 ? 1e-6 : value;
      }
      double avgdl = (double) tokens / (double) rows;
      Scorer scorer =
          new Scorer(lists, listSizes, idf, avgdl, ns, ident == null ? -1 : ident, statusMask);
      return newestFirst ? scorer.newest(filter.now(), limit) : scorer.best(filter.now(), limit);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** One search's document-at-a-time walk over its terms' posting lists. Caller holds the lock. */
  private final class Scorer {
    final int[][] lists;
    final int[] sizes;
    final double[] idf;
    final double avgdl;
    final int namespace;
    final int identifier;
    final int statusMask;
    final int[] cursor;
    final double[] freq;

    Scorer(
        int[][] lists,
        int[] sizes,
        double[] idf,
        double avgdl,
        int namespace,
        int identifier,
        int statusMask) {
      this.lists = lists;
      this.sizes = sizes;
      this.idf = idf;
      this.avgdl = avgdl;
      this.namespace = namespace;
      this.identifier = identifier;
      this.statusMask = statusMask;
      this.cursor = new int[lists.length];
      this.freq = new double[lists.length];
    }

    boolean passes(int doc, long now) {
      byte status = statuses[doc];
      return status != ERASED
          && (statusMask & (1 << status)) != 0
          && namespaces[doc] == namespace
          && (identifier < 0 || identifiers[doc] == identifier)
          && expiries[doc] > now;
    }

    /** bm25 of {@code doc} from the frequencies gathered in {@link #freq}. */
    double score(int doc) {
      double d = lengths[doc];
      double score = 0;
      for (int i = 0; i < freq.length; i++) {
        score += idf[i] * ((freq[i] * (K1 + 1.0)) / (freq[i] + K1 * (1 - B + B * d / avgdl)));
      }
      return score;
    }

    /** Collects into {@link #freq} the term frequencies of the lists whose cursor is on doc. */
    void gather(int doc, int step) {
      for (int i = 0; i < lists.length; i++) {
        freq[i] = 0;
        int c = cursor[i];
        if (c >= 0 && c < sizes[i] && lists[i][2 * c] == doc) {
          freq[i] = frequency(lists[i][2 * c + 1]);
          cursor[i] = c + step;
        }
      }
    }

    Hits best(long now, int limit) {
      TopScores top = new TopScores(limit, false);
      while (true) {
        int doc = Integer.MAX_VALUE;
        for (int i = 0; i < lists.length; i++) {
          if (cursor[i] < sizes[i]) {
            doc = Math.min(doc, lists[i][2 * cursor[i]]);
          }
        }
        if (doc == Integer.MAX_VALUE) {
          break;
        }
        gather(doc, 1);
        if (passes(doc, now)) {
          top.offer(seqs[doc], score(doc));
        }
      }
      return top.sorted();
    }

    Hits newest(long now, int limit) {
      for (int i = 0; i < lists.length; i++) {
        cursor[i] = sizes[i] - 1;
      }
      long[] outSeqs = new long[limit];
      double[] outScores = new double[limit];
      int m = 0;
      while (m < limit) {
        int doc = -1;
        for (int i = 0; i < lists.length; i++) {
          if (cursor[i] >= 0) {
            doc = Math.max(doc, lists[i][2 * cursor[i]]);
          }
        }
        if (doc < 0) {
          break;
        }
        gather(doc, -1);
        if (passes(doc, now)) {
          outSeqs[m] = seqs[doc];
          outScores[m] = score(doc);
          m++;
        }
      }
      TopScores top = new TopScores(m, true);
      for (int i = 0; i < m; i++) {
        top.offer(outSeqs[i], outScores[i]);
      }
      return top.sorted();
    }
  }

  /** A row's term frequency: the column weights summed one occurrence at a time, as FTS5 does. */
  private static double frequency(int packed) {
    double f = 0;
    for (int k = packed & 0xFFFF; k > 0; k--) {
      f += CONTENT_WEIGHT;
    }
    for (int k = (packed >>> 16) & 0xFF; k > 0; k--) {
      f += IDENTIFIER_WEIGHT;
    }
    for (int k = packed >>> 24; k > 0; k--) {
      f += CONTEXT_WEIGHT;
    }
    return f;
  }

  /** The status the index holds for a row, or null when it does not hold the row. */
  public MemoryStatus statusOf(long seq) {
    lock.readLock().lock();
    try {
      int doc = ordinal(seq);
      return doc < 0 || statuses[doc] == ERASED ? null : STATUSES[statuses[doc]];
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The documents added, for tests and status lines. */
  public int documents() {
    lock.readLock().lock();
    try {
      return docs;
    } finally {
      lock.readLock().unlock();
    }
  }
}
