package dev.hotmem.internal.engine;

import dev.hotmem.HotMemConfig;
import dev.hotmem.HotMemException;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryMessage;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import dev.hotmem.ScoreBreakdown;
import dev.hotmem.embed.Embedder;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import dev.hotmem.index.VectorIndex;
import dev.hotmem.internal.search.BudgetPacker;
import dev.hotmem.internal.search.FtsQuery;
import dev.hotmem.internal.search.HybridRanker;
import dev.hotmem.internal.search.TokenCounter;
import dev.hotmem.internal.store.RecallQueries;
import dev.hotmem.internal.store.RecallQueries.Candidate;
import dev.hotmem.internal.store.RecallQueries.KeywordHits;
import dev.hotmem.internal.store.SqliteStore;
import dev.hotmem.internal.trace.Tracer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
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
  private final Embedder embedder;
  private final VectorIndex index;
  private final IndexSync sync;
  private final Tracer tracer;
  private final AccessRecorder access;
  private final HybridRanker ranker;
  private final BudgetPacker packer;
  private final int depth;
  private final double textWeight;
  private final double vectorWeight;
  private final int vectorDepth;
  private final KeywordPlanner planner;
  private final ExecutorService parallel;

  Recall(
      HotMemConfig config,
      SqliteStore store,
      Embedder embedder,
      VectorIndex index,
      IndexSync sync,
      Tracer tracer,
      AccessRecorder access,
      ExecutorService parallel) {
    this.clock = config.clock();
    this.store = store;
    this.embedder = embedder;
    this.index = index;
    this.sync = sync;
    this.tracer = tracer;
    this.access = access;
    this.parallel = parallel;
    this.ranker = new HybridRanker(config.ranking());
    this.packer = new BudgetPacker(new TokenCounter(config.tokenEncoding()));
    this.depth = config.ranking().candidateDepth();
    this.textWeight = config.ranking().textWeight();
    this.vectorWeight = config.ranking().vectorWeight();
    this.vectorDepth = config.ranking().vectorDepth();
    this.planner = new KeywordPlanner(config.ranking().keywordBudget());
  }

  /** A candidate that survived the re-check, with its signals. */
  private record Scored(Candidate row, ScoreBreakdown breakdown, double score) {}

  RecallResult run(RecallQuery q) {
    long started = System.nanoTime();
    Tracer.Span span = tracer.start("search", "recall");
    try {
      RecallResult result = rank(q, started, span);
      span.put("count", result.count()).put("omitted", result.omitted()).end();
      return result;
    } catch (RuntimeException e) {
      span.error(e).end();
      throw e;
    }
  }

  private RecallResult rank(RecallQuery q, long started, Tracer.Span span) {
    long now = clock.millis();
    MemoryFilter filter = q.filter();
    // A zero text weight makes keyword candidates pointless: skip the FTS stage.
    List<String> terms = textWeight > 0 ? FtsQuery.terms(q.text()) : List.of();
    // A zero vector (no features) or a zero weight cannot change the ranking: no embedding, no
    // scan.
    float[] queryVector =
        vectorWeight > 0 ? Embeddings.embed(embedder, List.of(q.text())).get(0) : null;
    boolean useVector = queryVector != null && !isZero(queryVector);
    int vectorDepth = Math.max(q.topK(), this.vectorDepth);

    Candidates cands =
        store.read(
            "recall",
            c -> {
              sync.catchUp(c);
              // The vector scan is memory-bound and SQLite's keyword stage is CPU-bound: with no
              // filter that needs keys from SQLite first, they run at once on two cores.
              boolean extraFilters = RecallQueries.hasExtraFilters(filter);
              Future<List<VectorHit>> vecAsync =
                  useVector && !extraFilters
                      ? searchInParallel(
                          () -> searchVectors(queryVector, vectorDepth, filter, null))
                      : null;
              KeywordPlanner.Plan plan = planner.plan(c, terms, index.size());
              KeywordHits kw =
                  plan != null
                      ? RecallQueries.ftsCandidates(
                          c, plan.match(), plan.newestFirst(), filter, now, depth)
                      : new KeywordHits(new long[0], new double[0]);
              List<VectorHit> vec = List.of();
              if (vecAsync != null) {
                vec = join(vecAsync);
              } else if (useVector) {
                long[] allowed = RecallQueries.keysForExtraFilters(c, filter, now);
                vec =
                    allowed.length == 0
                        ? List.of()
                        : searchVectors(
                            queryVector,
                            vectorDepth,
                            filter,
                            k -> Arrays.binarySearch(allowed, k) >= 0);
              }
              Map<Long, int[]> ranks = new HashMap<>(); // seq -> {textRank, vectorRank}
              for (int i = 0; i < kw.size(); i++) {
                ranks.computeIfAbsent(kw.seqs()[i], k -> new int[2])[0] = i + 1;
              }
              for (int i = 0; i < vec.size(); i++) {
                ranks.computeIfAbsent(vec.get(i).key(), k -> new int[2])[1] = i + 1;
              }
              List<Candidate> rows = RecallQueries.findCandidates(c, ranks.keySet(), filter, now);
              return new Candidates(kw, vec, ranks, rows);
            });

    double maxBm25 = 0;
    Map<Long, Double> bm25 = new HashMap<>();
    for (int i = 0; i < cands.kw.size(); i++) {
      bm25.put(cands.kw.seqs()[i], cands.kw.bm25()[i]);
      maxBm25 = Math.max(maxBm25, cands.kw.bm25()[i]);
    }
    Map<Long, Float> cosine = new HashMap<>();
    for (VectorHit h : cands.vec) {
      cosine.put(h.key(), h.cosine());
    }
    List<Scored> scored = new ArrayList<>(cands.rows.size());
    for (Candidate m : cands.rows) {
      int[] r = cands.ranks.get(m.seq());
      double cos = cosineOf(m.seq(), queryVector, useVector, cosine);
      ScoreBreakdown b =
          ranker.score(
              new HybridRanker.Signals(
                  bm25.getOrDefault(m.seq(), 0.0),
                  r[0],
                  cos,
                  r[1],
                  m.importance(),
                  now - m.createdAtMillis(),
                  m.accessCount()),
              maxBm25);
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

    List<String> contents = new ArrayList<>(ranked.size());
    for (Scored s : ranked) {
      contents.add(s.row().content());
    }
    BudgetPacker.Packed packed = packer.pack(contents, q.maxChars(), q.maxTokens());
    List<MemoryMessage> messages = new ArrayList<>(packed.items().size());
    for (BudgetPacker.Item item : packed.items()) {
      Scored s = ranked.get(item.index());
      Candidate m = s.row();
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
              Instant.ofEpochMilli(m.createdAtMillis()),
              item.truncated(),
              s.breakdown()));
      access.record(s.row().seq(), now);
    }
    span.put("text_candidates", cands.kw.size())
        .put("vector_candidates", cands.vec.size())
        .put("candidates", cands.rows.size());
    double ms = (System.nanoTime() - started) / 1e6;
    return new RecallResult(
        messages, messages.size(), packed.omitted(), Math.round(ms * 100) / 100.0);
  }

  private List<VectorHit> searchVectors(
      float[] query, int vectorDepth, MemoryFilter filter, LongPredicate extra) {
    return index.search(
        query,
        vectorDepth,
        new VectorFilter(filter.namespace(), filter.identifier(), filter.statuses(), extra));
  }

  private Future<List<VectorHit>> searchInParallel(Callable<List<VectorHit>> search) {
    try {
      return parallel.submit(search);
    } catch (RejectedExecutionException closing) {
      FutureTask<List<VectorHit>> inline = new FutureTask<>(search);
      inline.run();
      return inline;
    }
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

  private double cosineOf(long seq, float[] q, boolean useVector, Map<Long, Float> hits) {
    if (!useVector) {
      return 0;
    }
    Float hit = hits.get(seq);
    if (hit != null) {
      return hit;
    }
    float sim = index.similarity(q, seq);
    return Float.isNaN(sim) ? 0 : sim;
  }

  private static boolean isZero(float[] v) {
    for (float x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private record Candidates(
      KeywordHits kw, List<VectorHit> vec, Map<Long, int[]> ranks, List<Candidate> rows) {}
}
