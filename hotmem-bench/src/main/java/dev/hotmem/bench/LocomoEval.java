package dev.hotmem.bench;

import dev.hotmem.FusionMethod;
import dev.hotmem.HotMem;
import dev.hotmem.HotMemConfig;
import dev.hotmem.MemoryMessage;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.Embedders;
import dev.hotmem.embed.HashEmbedder;
import dev.hotmem.internal.search.FtsQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Retrieval quality on LoCoMo: every dialog turn stored as one memory (identifier = the
 * conversation, content = {@code speaker: text}, session and date in metadata), every question of
 * categories 1–4 used as a query restricted to its conversation, ranked turns scored against the
 * question's evidence. Prints Recall@5, Recall@10, hit@10 and MRR per configuration and category,
 * beside a plain FTS5 bm25 baseline computed in the same run, plus add and query latency.
 *
 * <p>Run: {@code ./mvnw -q -pl hotmem-bench -am package -DskipTests && java -cp
 * hotmem-bench/target/benchmarks.jar dev.hotmem.bench.LocomoEval ../shared/bench/locomo-dev.json
 * [--embedder SPEC] [--sweep] [--no-dates] [--no-context]}. {@code --embedder} (default {@code
 * hash}) takes any spec {@link Embedders} knows, for example {@code local:bge-small-en-v1.5}; a
 * model embedder is memoised across the configurations of one run (each text is embedded once; the
 * vectors are the same, as the embedder is deterministic), and the latency line then comes from the
 * first pass, the one that called the model.
 */
public final class LocomoEval {
  private static final int K = 10;

  private LocomoEval() {}

  public static void main(String[] args) throws Exception {
    String dataArg = "../shared/bench/locomo-dev.json";
    String spec = "hash";
    boolean sweep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sweep" -> sweep = true;
        case "--no-dates" -> dates = false;
        case "--no-context" -> context = false;
        case "--embedder" -> {
          if (i + 1 >= args.length) {
            System.err.println("--embedder needs a spec, for example local:bge-small-en-v1.5");
            System.exit(2);
          }
          spec = args[++i];
        }
        default -> {
          if (args[i].startsWith("--")) {
            System.err.println(
                "unknown option "
                    + args[i]
                    + " (known: --embedder SPEC, --sweep, --no-dates, --no-context)");
            System.exit(2);
          }
          dataArg = args[i];
        }
      }
    }
    Path data = Path.of(dataArg);
    Embedder embedder;
    try {
      embedder = Embedders.create(spec, Map.of());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (!(embedder instanceof HashEmbedder)) {
      embedder = new MemoisedEmbedder(embedder);
    }
    Embedder chosen = embedder;
    if (!Files.exists(data)) {
      System.err.println("LoCoMo file not found: " + data + " (pass its path as the argument)");
      System.exit(2);
    }
    List<Locomo.Sample> samples = Locomo.read(data);
    int turns = samples.stream().mapToInt(s -> s.turns().size()).sum();
    int questions = samples.stream().mapToInt(s -> s.questions().size()).sum();
    System.out.printf(
        "LoCoMo: %d conversations, %d turns, %d questions (categories 1-4)%nembedder: %s (%s)%n%s%n%n",
        samples.size(), turns, questions, spec, chosen.id(), Machine.describe());

    if (sweep) {
      sweep(samples, b -> b.embedder(chosen));
      return;
    }
    Map<String, UnaryOperator<HotMemConfig.Builder>> configs = new LinkedHashMap<>();
    configs.put("hotmem default", b -> b);
    configs.put("hotmem rrf", b -> b.fusion(FusionMethod.RRF));
    configs.put("hotmem weighted", b -> b.fusion(FusionMethod.WEIGHTED));
    configs.put("hotmem normalized 0.7", b -> b.fusion(FusionMethod.NORMALIZED).vectorWeight(0.7));
    configs.put("keyword budget 2000", b -> b.keywordBudget(2000));
    configs.put("keyword budget 1000", b -> b.keywordBudget(1000));
    configs.put("vectors only (" + spec + ")", b -> b.textWeight(0).vectorWeight(1));
    if (!(chosen instanceof HashEmbedder)) {
      // The bare engine's default, in the same run as the model's.
      configs.put("hotmem default, hash embedder", b -> b.embedder(new HashEmbedder()));
    }
    configs.put("keywords only (porter)", b -> b.textWeight(1).vectorWeight(0));

    // The first pass warms the JIT (and, for a model, fills the memo: its latencies are the
    // model's)
    boolean model = chosen instanceof MemoisedEmbedder;
    evaluate(samples, b -> b.embedder(chosen), model);
    Map<String, RetrievalMetrics> results = new LinkedHashMap<>();
    results.put("fts5 bm25 baseline", baseline(samples));
    for (Map.Entry<String, UnaryOperator<HotMemConfig.Builder>> c : configs.entrySet()) {
      UnaryOperator<HotMemConfig.Builder> config = c.getValue();
      boolean report = !model && c.getKey().equals("hotmem default");
      results.put(c.getKey(), evaluate(samples, b -> config.apply(b.embedder(chosen)), report));
    }
    if (context) {
      // What the context adds: the same default with every turn stored alone.
      context = false;
      results.put("hotmem default, no context", evaluate(samples, b -> b.embedder(chosen), false));
      context = true;
    }

    System.out.println("| configuration | questions | R@5 | R@10 | hit@10 | MRR |");
    System.out.println("|---|---|---|---|---|---|");
    results.forEach((name, m) -> System.out.println(m.overall.row(name)));
    System.out.printf(
        Locale.ROOT,
        "%nhotmem default R@10 %.4f, fts5 bm25 baseline R@10 %.4f%n",
        results.get("hotmem default").overall.recall10(),
        results.get("fts5 bm25 baseline").overall.recall10());
    for (String name : List.of("fts5 bm25 baseline", "hotmem default")) {
      System.out.printf("%n%s, per category (LoCoMo's numbering)%n", name);
      System.out.println("| category | questions | R@5 | R@10 | hit@10 | MRR |");
      System.out.println("|---|---|---|---|---|---|");
      results
          .get(name)
          .byCategory
          .forEach(
              (cat, sums) ->
                  System.out.println(sums.row(cat + " " + Locomo.CATEGORY_NAMES.get(cat))));
    }
  }

  /**
   * Fusion settings grid, to choose the defaults on the whole question set (overall numbers only,
   * so nothing is tuned to single questions). Run with {@code --sweep} after the data path.
   */
  private static void sweep(List<Locomo.Sample> samples, UnaryOperator<HotMemConfig.Builder> base)
      throws Exception {
    System.out.println("| fusion | text w | vector w | rrf k | depth | R@5 | R@10 | MRR |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (FusionMethod fusion : FusionMethod.values()) {
      double[] vectorWeights =
          switch (fusion) {
            case RRF -> new double[] {0.05, 0.1, 0.2, 0.3};
            case WEIGHTED -> new double[] {0.05, 0.1, 0.15, 0.2, 0.3, 0.5};
            case NORMALIZED -> new double[] {0.3, 0.5, 0.7, 1.0};
          };
      int[] ks = fusion == FusionMethod.RRF ? new int[] {10, 60} : new int[] {60};
      for (double vw : vectorWeights) {
        for (int k : ks) {
          for (int depth : new int[] {100, 200}) {
            RetrievalMetrics m =
                evaluate(
                    samples,
                    b ->
                        base.apply(b)
                            .fusion(fusion)
                            .textWeight(1)
                            .vectorWeight(vw)
                            .rrfK(k)
                            .candidateDepth(depth),
                    false);
            RetrievalMetrics.Sums o = m.overall;
            System.out.printf(
                "| %s | 1 | %.2f | %d | %d | %.3f | %.3f | %.3f |%n",
                fusion, vw, k, depth, o.r5 / o.n, o.r10 / o.n, o.mrr / o.n);
          }
        }
      }
    }
  }

  /**
   * Whether turns are stored with their session date in front ({@code --no-dates} turns it off).
   */
  private static boolean dates = true;

  /**
   * A turn as the evaluation stores it: {@code [session date] speaker: text}. The session date is
   * what a conversational agent knows about when something was said; LoCoMo's temporal questions
   * name months and years, and storing it in the text lets both retrievers use it. The FTS5
   * baseline indexes the same text.
   */
  /**
   * Whether each turn is stored with the turn before it (same session) as its context ({@code
   * --no-context} turns it off). An agent storing a conversation knows what a turn replies to; the
   * context is searched and embedded with the turn but not returned as its text.
   */
  private static boolean context = true;

  /** The context stored with turn {@code k}: the previous turn of its session, or null. */
  static String contextOf(List<Locomo.Turn> turns, int k) {
    if (!context || k == 0 || turns.get(k - 1).session() != turns.get(k).session()) {
      return null;
    }
    Locomo.Turn prev = turns.get(k - 1);
    return prev.speaker() + ": " + prev.text();
  }

  static String turnText(Locomo.Turn t) {
    String text = t.speaker() + ": " + t.text();
    return dates ? "[" + t.date() + "] " + text : text;
  }

  private static RetrievalMetrics evaluate(
      List<Locomo.Sample> samples, UnaryOperator<HotMemConfig.Builder> config, boolean report)
      throws Exception {
    RetrievalMetrics metrics = new RetrievalMetrics();
    Latencies add = new Latencies();
    Latencies query = new Latencies();
    try (HotMem mem = HotMem.open(config.apply(HotMemConfig.ephemeral()).build())) {
      Map<String, String> diaOf = new HashMap<>();
      for (Locomo.Sample s : samples) {
        List<Locomo.Turn> turns = s.turns();
        for (int k = 0; k < turns.size(); k++) {
          Locomo.Turn t = turns.get(k);
          NewMemory m =
              NewMemory.builder(s.id(), turnText(t))
                  .context(contextOf(turns, k))
                  .metadata(Map.of("dia_id", t.diaId(), "session", t.session(), "date", t.date()))
                  .build();
          long t0 = System.nanoTime();
          String id = mem.remember(m).memory().id();
          add.add(System.nanoTime() - t0);
          diaOf.put(id, t.diaId());
        }
      }
      for (Locomo.Sample s : samples) {
        for (Locomo.Question q : s.questions()) {
          long t0 = System.nanoTime();
          List<MemoryMessage> hits =
              mem.recall(RecallQuery.builder(q.question()).identifier(s.id()).topK(K).build())
                  .memories();
          query.add(System.nanoTime() - t0);
          // Access counts are otherwise written on a timer, so whether the previous questions'
          // hits count for this one would depend on timing: two runs differed at the third
          // decimal. Written now, every question sees all the earlier ones.
          mem.flush();
          List<String> ranked = new ArrayList<>(hits.size());
          hits.forEach(h -> ranked.add(diaOf.get(h.memoryId())));
          metrics.add(q.category(), ranked, q.evidence());
        }
      }
    }
    if (report) {
      System.out.printf(
          "hotmem default latency: add p50 %.3f ms p95 %.3f ms; recall p50 %.3f ms p95 %.3f ms%n%n",
          add.percentileMs(50),
          add.percentileMs(95),
          query.percentileMs(50),
          query.percentileMs(95));
    }
    return metrics;
  }

  /**
   * The reference point: SQLite FTS5 with its default unicode61 tokenizer (no stemming), bm25, stop
   * words dropped and terms OR-ed (the same query builder), over the same turns.
   */
  private static RetrievalMetrics baseline(List<Locomo.Sample> samples) throws Exception {
    RetrievalMetrics metrics = new RetrievalMetrics();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement s = c.createStatement()) {
      s.execute("CREATE VIRTUAL TABLE turns USING fts5(content, sample UNINDEXED, dia UNINDEXED)");
      c.setAutoCommit(false);
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO turns VALUES (?, ?, ?)")) {
        for (Locomo.Sample sample : samples) {
          for (Locomo.Turn t : sample.turns()) {
            ins.setString(1, turnText(t));
            ins.setString(2, sample.id());
            ins.setString(3, t.diaId());
            ins.executeUpdate();
          }
        }
      }
      c.commit();
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT dia FROM turns WHERE turns MATCH ? AND sample = ? ORDER BY rank LIMIT ?")) {
        for (Locomo.Sample sample : samples) {
          for (Locomo.Question question : sample.questions()) {
            List<String> ranked = new ArrayList<>();
            Optional<String> match = FtsQuery.build(question.question());
            if (match.isPresent()) {
              q.setString(1, match.get());
              q.setString(2, sample.id());
              q.setInt(3, K);
              try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                  ranked.add(rs.getString(1));
                }
              }
            }
            metrics.add(question.category(), ranked, question.evidence());
          }
        }
      }
    }
    return metrics;
  }
}
