package dev.hotmem.internal.engine;

import dev.hotmem.FusionMethod;
import dev.hotmem.HotMemConfig;
import dev.hotmem.HotMemException;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryMessage;
import dev.hotmem.Ranking;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import dev.hotmem.ScoreBreakdown;
import dev.hotmem.embed.Embedder;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.index.VectorQuery;
import dev.hotmem.internal.index.TieredVectorIndex;
import dev.hotmem.internal.search.BudgetPacker;
import dev.hotmem.internal.search.FtsQuery;
import dev.hotmem.internal.search.HybridRanker;
import dev.hotmem.internal.search.KeywordIndex;
import dev.hotmem.internal.search.TokenCounter;
import dev.hotmem.internal.store.RecallQueries;
import dev.hotmem.internal.store.RecallQueries.Candidate;
import dev.hotmem.internal.store.RecallQueries.KeywordHits;
import dev.hotmem.internal.store.RecallQueries.Shown;
import dev.hotmem.internal.store.RowEvents;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.trace.Tracer;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * One recall, end to end: keyword candidates (FTS5 bm25) and vector candidates (cosine) under the
 * same filter, re-checked against SQLite, fused and adjusted ({@link HybridRanker}), cut to {@code
 * top_k} and {@code min_score}, packed to the budgets ({@link BudgetPacker}) and returned as
 * message objects. Thread-safe.
 */
final class Recall {
  private final Clock clock;
  private final SqliteStore store;
  private final VectorIndex index;
  private final IndexSync sync;
  private final KeywordSync keywords;
  private final Tracer tracer;
  private final AccessRecorder access;
  private final HybridRanker ranker;
  private final BudgetPacker packer;
  private final Ranking ranking;
  private final int depth;
  private final double textWeight;
  private final double vectorWeight;
  private final int vectorDepth;
  private final KeywordPlanner planner;
  private final VectorScanBatcher parallel;
  private final QueryEmbeddings queryEmbeddings;

  /** Recalls now between the start and the end of {@link #rank}: see {@code early} there. */
  private final AtomicInteger running = new AtomicInteger();

  /** Cores this JVM may use: see {@code early} in {@link #rank}. */
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /**
   * Above this share of the cores busy with recalls, no graph search starts early. A saturated
   * server reads 0.85-1 on virtual threads (the carriers always run a recall) and more on platform
   * threads; 1M memories at 100 searches/s read about 0.4 and still gain from the early start (p50
   * 8 ms against 11 ms with a limit of 0.5).
   */
  static final double EARLY_LOAD_LIMIT = 0.75;

  private final LoadMeter load = new LoadMeter(CORES);

  /**
   * Below this share of recent recalls needing their vector search ({@link VectorNeed}), no graph
   * search starts early: it would more often be wasted than used.
   */
  static final double EARLY_NEED_MIN = 0.5;

  private final VectorNeed vectorNeed = new VectorNeed();

  Recall(
      HotMemConfig config,
      SqliteStore store,
      Embedder embedder,
      VectorIndex index,
      IndexSync sync,
      KeywordSync keywords,
      Tracer tracer,
      AccessRecorder access,
      VectorScanBatcher parallel) {
    this.clock = config.clock();
    this.store = store;
    this.index = index;
    this.sync = sync;
    this.keywords = keywords;
    this.tracer = tracer;
    this.access = access;
    this.parallel = parallel;
    this.ranker = new HybridRanker(config.ranking());
    this.ranking = config.ranking();
    this.packer = new BudgetPacker(new TokenCounter(config.tokenEncoding()));
    this.depth = config.ranking().candidateDepth();
    this.textWeight = config.ranking().textWeight();
    this.vectorWeight = config.ranking().vectorWeight();
    this.vectorDepth = config.ranking().vectorDepth();
    this.planner = new KeywordPlanner(config.ranking().keywordBudget());
    this.queryEmbeddings = new QueryEmbeddings(embedder, config.queryCacheSize());
  }

  /** A candidate that survived the re-check, with its signals. */
  private record Scored(Candidate row, ScoreBreakdown breakdown, double score) {}

  RecallResult run(RecallQuery q) {
    long started = System.nanoTime();
    Tracer.Span span = tracer.start("search", "recall");
    int concurrent = running.incrementAndGet();
    try {
      RecallResult result = rank(q, started, span, concurrent);
      span.put("count", result.count()).put("omitted", result.omitted()).end();
      return result;
    } catch (RuntimeException e) {
      span.error(e).end();
      throw e;
    } finally {
      running.decrementAndGet();
      load.record(System.nanoTime() - started);
    }
  }

  /**
   * @param concurrent how many recalls were running when this one started, itself included
   */
  private RecallResult rank(RecallQuery q, long started, Tracer.Span span, int concurrent) {
    long now = clock.millis();
    MemoryFilter filter = q.filter();
    // A zero text weight makes keyword candidates pointless: skip the FTS stage.
    List<String> terms = textWeight > 0 ? FtsQuery.terms(q.text()) : List.of();
    // A zero vector (no features) or a zero weight cannot change the ranking: no embedding, no
    // scan.
    long embedStart = System.nanoTime();
    float[] queryVector = vectorWeight > 0 ? queryEmbeddings.embed(q.text()) : null;
    long embedNanos = System.nanoTime() - embedStart;
    // Time spent in the keyword stage and in the vector search, for the trace line.
    long[] stageNanos = new long[2];
    boolean useVector = queryVector != null && !isZero(queryVector);
    int vectorDepth = Math.max(q.topK(), this.vectorDepth);
    // A graph search costs much the same whatever the keywords find, so it starts now on a helper
    // thread and runs beside the keyword stage (1M memories: 7 ms beside 1.5-2.5 ms). When recalls
    // keep the cores busy (more of them running than there are cores, or three quarters of the
    // cores' time over the last 100 ms, see LoadMeter), there is no time to spare and starting
    // early only adds work: the search then waits for the keywords, which can make it unnecessary
    // (keywordsDecide), as the exact scan always does. Nor does it start when the keywords have
    // been deciding most recent recalls without it (VectorNeed). If the catch-up below loads rows
    // another process added, the early search ran on an index without them: it is given up.
    EarlySearch earlyStarted =
        useVector
                && concurrent <= CORES
                && load.utilisation() < EARLY_LOAD_LIMIT
                && vectorNeed.rate() >= EARLY_NEED_MIN
                && graphServes()
                && !RecallQueries.hasExtraFilters(filter)
            ? EarlySearch.start(
                index, new VectorQuery(queryVector, vectorDepth, vectorFilter(filter, null)))
            : null;

    Candidates cands =
        store.read(
            "recall",
            c -> {
              RowEvents.Heads heads = RowEvents.heads(c);
              boolean caughtUp = sync.catchUp(c, heads) > 0;
              EarlySearch early = earlyStarted;
              if (early != null && caughtUp) {
                early.abandon();
                early = null;
                span.put("vector_early_stale", true);
              }
              long keywordStart = System.nanoTime();
              // The keyword index, when it agrees with this snapshot (rows and changes), else null.
              KeywordIndex memory = keywords == null ? null : keywords.current(c, heads);
              KeywordHits kw = keywordCandidates(c, memory, terms, filter, now, span);
              stageNanos[0] = System.nanoTime() - keywordStart;
              // The scan of every vector is most of a recall's cost; skip it when no memory that
              // only it could find can reach the top k (see keywordsDecide).
              boolean needed = useVector && !keywordsDecide(kw, q.topK());
              if (useVector) {
                vectorNeed.record(needed);
              }
              boolean scan = early != null || needed;
              List<VectorHit> vec;
              if (early != null) {
                vec = joinEarly(early);
                stageNanos[1] = early.nanos();
              } else {
                vec = List.of();
                if (scan) { // a skipped scan took no time, not the microseconds spent deciding
                  long scanStart = System.nanoTime();
                  vec = scanVectors(c, queryVector, vectorDepth, filter, now);
                  stageNanos[1] = System.nanoTime() - scanStart;
                }
              }
              RecallSignals signals =
                  new RecallSignals(
                      ranking, ranker, index, kw, vec, queryVector, useVector, q.topK());
              List<Long> likely = signals.contenders(q.topK(), memory, now);
              List<Candidate> rows = RecallQueries.findCandidates(c, likely, filter, now);
              if (!signals.leadersPresent(rows, q.topK())) {
                // An index proposed rows that SQLite no longer has (or no longer matches the
                // filter), so the bounds are not safe: scan if that was skipped, and re-check
                // every candidate.
                if (useVector && !scan) {
                  scan = true;
                  long rescanStart = System.nanoTime();
                  vec = scanVectors(c, queryVector, vectorDepth, filter, now);
                  stageNanos[1] += System.nanoTime() - rescanStart;
                  signals =
                      new RecallSignals(
                          ranking, ranker, index, kw, vec, queryVector, useVector, q.topK());
                }
                rows = RecallQueries.findCandidates(c, signals.ranks.keySet(), filter, now);
              }
              span.put("vector_scan", scan)
                  .put("vector_needed", needed)
                  .put("vector_early", early != null);
              if (early != null) {
                span.put("vector_early_inline", early.ranByCaller());
              }
              List<Scored> best = best(signals, rows, q, now);
              List<Long> bestSeqs = new ArrayList<>(best.size());
              for (Scored s : best) {
                bestSeqs.add(s.row().seq());
              }
              return new Candidates(signals, rows.size(), best, RecallQueries.shown(c, bestSeqs));
            });

    List<Scored> ranked = new ArrayList<>(cands.best.size());
    List<String> contents = new ArrayList<>(ranked.size());
    for (Scored s : cands.best) {
      Shown shown = cands.shown.get(s.row().seq());
      if (shown != null) { // read in the same transaction: always there
        ranked.add(s);
        contents.add(shown.content());
      }
    }
    BudgetPacker.Packed packed = packer.pack(contents, q.maxChars(), q.maxTokens());
    List<MemoryMessage> messages = new ArrayList<>(packed.items().size());
    for (BudgetPacker.Item item : packed.items()) {
      Scored s = ranked.get(item.index());
      Shown m = cands.shown.get(s.row().seq());
      messages.add(
          new MemoryMessage(
              MemoryMessage.SYSTEM_ROLE,
              item.content(),
              m.id(),
              m.identifier(),
              s.score(),
              m.namespace(),
              m.kind(),
              m.category(),
              m.scope(),
              Instant.ofEpochMilli(s.row().createdAtMillis()),
              item.truncated(),
              s.breakdown()));
      access.record(s.row().seq(), now);
    }
    span.put("embed_ms", millis(embedNanos))
        .put("keyword_ms", millis(stageNanos[0]))
        .put("vector_ms", millis(stageNanos[1]))
        .put("text_candidates", cands.signals.kw.size())
        .put("vector_candidates", cands.signals.vec.size())
        .put("candidates", cands.candidates);
    double ms = (System.nanoTime() - started) / 1e6;
    return new RecallResult(
        messages, messages.size(), packed.omitted(), Math.round(ms * 100) / 100.0);
  }

  /**
   * The candidates that make the answer: scored, best first (ties: the newer), at most {@code
   * top_k} of them, none below {@code min_score}.
   */
  private List<Scored> best(RecallSignals sig, List<Candidate> rows, RecallQuery q, long now) {
    sig.cosinesFor(rows);
    List<Scored> scored = new ArrayList<>(rows.size());
    for (Candidate m : rows) {
      int[] r = sig.ranks.get(m.seq());
      ScoreBreakdown b =
          ranker.score(
              new HybridRanker.Signals(
                  sig.bm25.getOrDefault(m.seq(), 0.0),
                  r[0],
                  sig.cosine(m.seq()),
                  r[1],
                  m.importance(),
                  now - m.createdAtMillis(),
                  m.accessCount()),
              sig.scale);
      scored.add(new Scored(m, b, ranker.finalScore(b)));
    }
    scored.sort(
        (a, b) -> {
          int byScore = Double.compare(b.score(), a.score());
          return byScore != 0 ? byScore : Long.compare(b.row().seq(), a.row().seq());
        });
    List<Scored> ranked = new ArrayList<>(q.topK());
    for (Scored s : scored) {
      if (ranked.size() == q.topK()) {
        break;
      }
      if (s.score() >= q.minScore()) {
        ranked.add(s);
      }
    }
    return ranked;
  }

  /**
   * The keyword candidates: from the in-memory index when it agrees with this read transaction
   * ({@code memory} is not null) and the filter needs nothing it lacks, else from FTS5. Both plan
   * alike and rank by the same bm25.
   */
  private KeywordHits keywordCandidates(
      SqliteStore.Conn c,
      KeywordIndex memory,
      List<String> terms,
      MemoryFilter filter,
      long now,
      Tracer.Span span)
      throws SQLException {
    if (terms.isEmpty()) {
      return new KeywordHits(new long[0], new double[0]);
    }
    if (memory != null && !RecallQueries.hasExtraFilters(filter)) {
      KeywordPlanner.Plan plan = planner.plan(terms, index.size(), memory::documentFrequency);
      KeywordIndex.Hits hits =
          memory.search(
              plan.terms(),
              plan.newestFirst(),
              new KeywordIndex.Filter(
                  filter.namespace(), filter.identifier(), filter.statuses(), now),
              depth);
      span.put("keyword_index", "memory");
      return new KeywordHits(hits.seqs(), hits.scores());
    }
    KeywordPlanner.Plan plan = planner.plan(c, terms, index.size());
    span.put("keyword_index", "fts5");
    return RecallQueries.ftsCandidates(c, plan.match(), plan.newestFirst(), filter, now, depth);
  }

  /**
   * Whether the keyword candidates alone decide the top {@code k}, so that the vector scan cannot
   * change the answer and need not run. With the weighted sum, a memory only the scan finds (no
   * keyword match) has fused relevance at most {@code wv / (wt + wv)} (cosine 1) and a final score
   * no higher; a keyword candidate's final score is at least {@code r * wt * text / (wt + wv)}
   * ({@code r} the relevance weight, {@code text} its bm25 over the best). When the k-th best
   * keyword candidate's floor is above the scan's ceiling, the top k are keyword candidates, and
   * their cosines come from the index directly ({@link VectorIndex#similarity}), so the scores are
   * exactly what they would be after a scan; only {@code vector_rank} stays 0. Reciprocal-rank
   * fusion scores keyword candidates by their vector rank, which only the scan gives: it always
   * scans.
   */
  private boolean keywordsDecide(KeywordHits kw, int k) {
    if (ranking.fusion() != FusionMethod.WEIGHTED || kw.size() < k || kw.bm25()[0] <= 0) {
      return false;
    }
    double text = Math.max(0, kw.bm25()[k - 1]) / kw.bm25()[0];
    return ranking.relevanceWeight() * textWeight * text > vectorWeight;
  }

  /**
   * The vector candidates: an exact scan batched with concurrent recalls' scans, a graph search on
   * this thread, or either filtered by keys from SQLite.
   */
  private List<VectorHit> scanVectors(
      SqliteStore.Conn c, float[] queryVector, int vectorDepth, MemoryFilter filter, long now)
      throws SQLException {
    if (!RecallQueries.hasExtraFilters(filter)) {
      // Graph searches gain nothing from a batch (each walks its own nodes) and queued behind one
      // thread they wait on each other while their recalls hold reader connections: under a
      // saturating load some waited 40-100 ms. This thread would only block meanwhile.
      return graphServes()
          ? searchVectors(queryVector, vectorDepth, filter, null)
          : join(
              parallel.submit(
                  new VectorQuery(queryVector, vectorDepth, vectorFilter(filter, null))));
    }
    long[] allowed = RecallQueries.keysForExtraFilters(c, filter, now);
    return allowed.length == 0
        ? List.of()
        : searchVectors(
            queryVector, vectorDepth, filter, k -> Arrays.binarySearch(allowed, k) >= 0);
  }

  private List<VectorHit> searchVectors(
      float[] query, int vectorDepth, MemoryFilter filter, LongPredicate extra) {
    return index.search(query, vectorDepth, vectorFilter(filter, extra));
  }

  private static VectorFilter vectorFilter(MemoryFilter filter, LongPredicate extra) {
    return new VectorFilter(filter.namespace(), filter.identifier(), filter.statuses(), extra);
  }

  private static List<VectorHit> joinEarly(EarlySearch early) {
    try {
      return early.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HotMemException.Busy("recall interrupted", e);
    }
  }

  /** Whether the vector index answers from its graph (see {@code early} in rank). */
  private boolean graphServes() {
    return index instanceof TieredVectorIndex tiered && tiered.graph() != null;
  }

  private static List<VectorHit> join(Future<List<VectorHit>> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("vector search failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HotMemException.Busy("recall interrupted", e);
    }
  }

  private static boolean isZero(float[] v) {
    for (float x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** What the read transaction found: the signals, how many rows it scored, the best and texts. */
  private record Candidates(
      RecallSignals signals, int candidates, List<Scored> best, Map<Long, Shown> shown) {}

  /** Nanoseconds as milliseconds rounded to two decimals, as trace lines show them. */
  private static double millis(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }
}
