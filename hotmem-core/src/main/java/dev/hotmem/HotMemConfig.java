package dev.hotmem;

import dev.hotmem.HotMemException.InvalidRequest;
import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.HashEmbedder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link HotMem} store is opened with. Built by {@link Builder}, which validates once
 * and fails fast on contradictions; immutable and thread-safe afterwards.
 *
 * <p>Defaults: the {@link HashEmbedder} (64 dimensions, no model to load), {@code synchronous =
 * NORMAL}, a 5 s busy timeout, the system UTC clock, tokens counted in cl100k_base, traces off, a
 * query-embedding cache of 10,000 entries, and the ranking defaults listed on {@link Builder}.
 */
public final class HotMemConfig {
  private final Path path;
  private final Embedder embedder;
  private final Synchronous synchronous;
  private final Duration busyTimeout;
  private final Clock clock;
  private final Ranking ranking;
  private final TokenEncoding tokenEncoding;
  private final Tracing tracing;
  private final int readerPoolSize;
  private final Duration accessFlushInterval;
  private final int queryCacheSize;
  private final int annThreshold;
  private final boolean keywordIndex;

  private HotMemConfig(Builder b) {
    this.path = b.path;
    this.embedder = b.embedder != null ? b.embedder : new HashEmbedder();
    this.synchronous = b.synchronous;
    this.busyTimeout = b.busyTimeout;
    this.clock = b.clock;
    this.ranking =
        new Ranking(
            b.fusion != null
                ? b.fusion
                : b.lexical() ? Builder.DEFAULT_FUSION : Builder.MODEL_FUSION,
            b.textWeight,
            b.vectorWeight != null
                ? b.vectorWeight
                : b.lexical() ? Builder.DEFAULT_VECTOR_WEIGHT : Builder.MODEL_VECTOR_WEIGHT,
            b.rrfK,
            b.candidateDepth,
            b.vectorDepth,
            b.importanceWeight,
            b.recencyWeight,
            b.accessWeight,
            b.recencyHalfLife,
            b.keywordBudget);
    this.tokenEncoding = b.tokenEncoding;
    this.tracing = b.tracing;
    this.readerPoolSize = b.readerPoolSize;
    this.accessFlushInterval = b.accessFlushInterval;
    this.queryCacheSize = b.queryCacheSize;
    this.annThreshold = b.annThreshold;
    this.keywordIndex = b.keywordIndex;
  }

  /** A configuration for a store file at {@code path} (created if absent, with its folders). */
  public static Builder builder(Path path) {
    return new Builder(Objects.requireNonNull(path, "path"));
  }

  /**
   * A configuration for an ephemeral store: a temporary file deleted on {@link HotMem#close()}.
   * Behaves exactly like a file store (same engine, same SQL) but keeps nothing.
   */
  public static Builder ephemeral() {
    return new Builder(null);
  }

  /** The store file, or null for an ephemeral store. */
  public Path path() {
    return path;
  }

  public Embedder embedder() {
    return embedder;
  }

  public Synchronous synchronous() {
    return synchronous;
  }

  public Duration busyTimeout() {
    return busyTimeout;
  }

  public Clock clock() {
    return clock;
  }

  public Ranking ranking() {
    return ranking;
  }

  public TokenEncoding tokenEncoding() {
    return tokenEncoding;
  }

  public Tracing tracing() {
    return tracing;
  }

  public int readerPoolSize() {
    return readerPoolSize;
  }

  public Duration accessFlushInterval() {
    return accessFlushInterval;
  }

  /** Most query embeddings recall keeps; 0 when the cache is off. */
  public int queryCacheSize() {
    return queryCacheSize;
  }

  /** Whether keyword search runs on an in-memory index; see {@link Builder#keywordIndex}. */
  public boolean keywordIndex() {
    return keywordIndex;
  }

  /** Memories above which vector search runs on the ANN graph; see {@link Builder#annThreshold}. */
  public int annThreshold() {
    return annThreshold;
  }

  /**
   * Builds a {@link HotMemConfig}. Ranking defaults (chosen on LoCoMo, see docs/BENCHMARKS.md):
   * {@link #DEFAULT_FUSION} fusion, text weight {@value #DEFAULT_TEXT_WEIGHT}, vector weight
   * {@value #DEFAULT_VECTOR_WEIGHT}, RRF k {@value #DEFAULT_RRF_K}, {@value #DEFAULT_DEPTH} keyword
   * and {@value #DEFAULT_VECTOR_DEPTH} vector candidates, importance weight {@value
   * #DEFAULT_IMPORTANCE_WEIGHT}, recency weight {@value #DEFAULT_RECENCY_WEIGHT} with a {@value
   * #DEFAULT_HALF_LIFE_DAYS}-day half-life, access weight {@value #DEFAULT_ACCESS_WEIGHT}.
   *
   * <p>Fusion and vector weight default by embedder: with the {@link HashEmbedder} (word and
   * spelling overlap, which bm25 mostly covers already) {@link #DEFAULT_FUSION} at {@value
   * #DEFAULT_VECTOR_WEIGHT}; with any other embedder (a model that captures meaning) {@link
   * #MODEL_FUSION} at {@value #MODEL_VECTOR_WEIGHT}. Setting either explicitly wins. Not
   * thread-safe.
   */
  public static final class Builder {
    public static final FusionMethod DEFAULT_FUSION = FusionMethod.WEIGHTED;
    public static final double DEFAULT_TEXT_WEIGHT = 1.0;
    public static final double DEFAULT_VECTOR_WEIGHT = 0.1;

    /** Fusion with a model embedder (anything but the hash embedder). */
    public static final FusionMethod MODEL_FUSION = FusionMethod.NORMALIZED;

    /** Vector weight with a model embedder. */
    public static final double MODEL_VECTOR_WEIGHT = 0.7;

    public static final int DEFAULT_RRF_K = 60;
    public static final int DEFAULT_DEPTH = 100;
    public static final int DEFAULT_VECTOR_DEPTH = 30;
    public static final double DEFAULT_IMPORTANCE_WEIGHT = 0.1;
    public static final double DEFAULT_RECENCY_WEIGHT = 0.05;
    public static final double DEFAULT_ACCESS_WEIGHT = 0.02;
    public static final long DEFAULT_HALF_LIFE_DAYS = 30;
    public static final int DEFAULT_KEYWORD_BUDGET = 500;
    public static final int DEFAULT_QUERY_CACHE_SIZE = 10_000;

    /** See {@link #annThreshold}; measured in docs/BENCHMARKS.md ("ANN index"). */
    public static final int DEFAULT_ANN_THRESHOLD = 50_000;

    private final Path path;
    private Embedder embedder;
    private Synchronous synchronous = Synchronous.NORMAL;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private FusionMethod fusion; // null: by embedder
    private double textWeight = DEFAULT_TEXT_WEIGHT;
    private Double vectorWeight; // null: by embedder
    private int rrfK = DEFAULT_RRF_K;
    private int candidateDepth = DEFAULT_DEPTH;
    private int vectorDepth = DEFAULT_VECTOR_DEPTH;
    private double importanceWeight = DEFAULT_IMPORTANCE_WEIGHT;
    private double recencyWeight = DEFAULT_RECENCY_WEIGHT;
    private double accessWeight = DEFAULT_ACCESS_WEIGHT;
    private Duration recencyHalfLife = Duration.ofDays(DEFAULT_HALF_LIFE_DAYS);
    private int keywordBudget = DEFAULT_KEYWORD_BUDGET;
    private TokenEncoding tokenEncoding = TokenEncoding.CL100K_BASE;
    private Tracing tracing = Tracing.OFF;
    private int readerPoolSize = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private Duration accessFlushInterval = Duration.ofSeconds(1);
    private int queryCacheSize = DEFAULT_QUERY_CACHE_SIZE;
    private int annThreshold = DEFAULT_ANN_THRESHOLD;
    private boolean keywordIndex = true;

    private Builder(Path path) {
      this.path = path;
    }

    /** The embedder; a store remembers the first one it was created with and refuses others. */
    public Builder embedder(Embedder embedder) {
      this.embedder = Objects.requireNonNull(embedder, "embedder");
      return this;
    }

    public Builder synchronous(Synchronous synchronous) {
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /** How long a write waits for another writer's lock before failing with {@code busy}. */
    public Builder busyTimeout(Duration busyTimeout) {
      this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
      return this;
    }

    /** The source of every timestamp (tests inject a fixed or stepping clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder fusion(FusionMethod fusion) {
      this.fusion = Objects.requireNonNull(fusion, "fusion");
      return this;
    }

    public Builder textWeight(double textWeight) {
      this.textWeight = textWeight;
      return this;
    }

    public Builder vectorWeight(double vectorWeight) {
      this.vectorWeight = vectorWeight;
      return this;
    }

    private boolean lexical() {
      return embedder == null || embedder instanceof HashEmbedder;
    }

    public Builder rrfK(int rrfK) {
      this.rrfK = rrfK;
      return this;
    }

    public Builder candidateDepth(int candidateDepth) {
      this.candidateDepth = candidateDepth;
      return this;
    }

    /** Vector candidates per query (at least the query's {@code top_k}). */
    public Builder vectorDepth(int vectorDepth) {
      this.vectorDepth = vectorDepth;
      return this;
    }

    public Builder importanceWeight(double importanceWeight) {
      this.importanceWeight = importanceWeight;
      return this;
    }

    public Builder recencyWeight(double recencyWeight) {
      this.recencyWeight = recencyWeight;
      return this;
    }

    public Builder accessWeight(double accessWeight) {
      this.accessWeight = accessWeight;
      return this;
    }

    public Builder recencyHalfLife(Duration recencyHalfLife) {
      this.recencyHalfLife = Objects.requireNonNull(recencyHalfLife, "recencyHalfLife");
      return this;
    }

    /**
     * Most rows FTS5 may score for one query; see {@link Ranking#keywordBudget()}. Higher is more
     * exact on large stores and slower.
     */
    public Builder keywordBudget(int keywordBudget) {
      this.keywordBudget = keywordBudget;
      return this;
    }

    public Builder tokenEncoding(TokenEncoding tokenEncoding) {
      this.tokenEncoding = Objects.requireNonNull(tokenEncoding, "tokenEncoding");
      return this;
    }

    public Builder tracing(Tracing tracing) {
      this.tracing = Objects.requireNonNull(tracing, "tracing");
      return this;
    }

    /** Most reader connections open at once; at least 1. */
    public Builder readerPoolSize(int readerPoolSize) {
      this.readerPoolSize = readerPoolSize;
      return this;
    }

    /** How often recall's access counts are written back; they are also written on close. */
    public Builder accessFlushInterval(Duration accessFlushInterval) {
      this.accessFlushInterval = Objects.requireNonNull(accessFlushInterval, "interval");
      return this;
    }

    /**
     * Most query embeddings recall keeps (keyed by the query text, least recently and frequently
     * used evicted first), so a repeated query costs no model call; default {@value
     * #DEFAULT_QUERY_CACHE_SIZE}, 0 turns the cache off. Queries longer than 2,048 characters are
     * never kept.
     */
    public Builder queryCacheSize(int queryCacheSize) {
      this.queryCacheSize = queryCacheSize;
      return this;
    }

    /**
     * Vectors (non-forgotten memories) above which vector search runs on an approximate (ANN) graph
     * index instead of an exact scan; default {@value #DEFAULT_ANN_THRESHOLD}. 0 uses the graph
     * from the first memory, {@link Integer#MAX_VALUE} never. Filtered searches stay exact when the
     * filter is selective. A store above the threshold keeps its graph in a side-file next to the
     * database ({@code <file>.ann}), written on close.
     */
    public Builder annThreshold(int annThreshold) {
      this.annThreshold = annThreshold;
      return this;
    }

    /**
     * Whether recall's keyword search runs on an in-memory inverted index (default) or on SQLite's
     * FTS5 table for every query. Both give the same candidates with the same bm25; the index's
     * keyword stage costs a twentieth of FTS5's at 100,000 memories, and it costs heap, about 430
     * bytes a memory on conversational text (430 MiB at 1,000,000 memories). It loads in the
     * background when the store opens (about 17 s at 1,000,000), and FTS5 answers until it is
     * ready.
     */
    public Builder keywordIndex(boolean keywordIndex) {
      this.keywordIndex = keywordIndex;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws InvalidRequest naming the first invalid setting
     */
    public HotMemConfig build() {
      if (busyTimeout.isNegative()) {
        throw new InvalidRequest("busyTimeout", "must not be negative; found " + busyTimeout);
      }
      if (readerPoolSize < 1) {
        throw new InvalidRequest("readerPoolSize", "must be at least 1; found " + readerPoolSize);
      }
      if (accessFlushInterval.isNegative() || accessFlushInterval.isZero()) {
        throw new InvalidRequest(
            "accessFlushInterval", "must be positive; found " + accessFlushInterval);
      }
      if (queryCacheSize < 0) {
        throw new InvalidRequest(
            "queryCacheSize", "must be 0 (off) or more; found " + queryCacheSize);
      }
      if (annThreshold < 0) {
        throw new InvalidRequest("annThreshold", "must not be negative; found " + annThreshold);
      }
      if (embedder != null && embedder.dimension() < 1) {
        throw new InvalidRequest(
            "embedder", embedder.id() + " reports dimension " + embedder.dimension());
      }
      return new HotMemConfig(this);
    }
  }
}
