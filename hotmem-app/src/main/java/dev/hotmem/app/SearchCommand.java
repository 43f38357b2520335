package dev.hotmem.app;

import dev.hotmem.MemoryFilter;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import dev.hotmem.client.HotMemClient;
import dev.hotmem.client.SearchRequest;
import dev.hotmem.client.SearchResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hotmem search}: ranked recall, best first. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Recall the memories most relevant to a query, best first.")
final class SearchCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  TargetOptions target;

  @Mixin EmbedderOptions embedder;

  @Parameters(
      paramLabel = "QUERY",
      arity = "1..*",
      description = "The query; several words are joined with spaces.")
  List<String> query;

  @Option(
      names = {"-k", "--top-k"},
      paramLabel = "N",
      defaultValue = "5",
      description = "At most N results, 1..100 (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--max-chars", paramLabel = "N", description = "Cap on the summed content.")
  Integer maxChars;

  @Option(names = "--max-tokens", paramLabel = "N", description = "Cap on the summed tokens.")
  Integer maxTokens;

  @Option(
      names = "--min-score",
      paramLabel = "0..1",
      defaultValue = "0",
      description = "Drop results scoring below this (default: ${DEFAULT-VALUE}).")
  double minScore;

  @Mixin FilterOptions filter;

  @Mixin RemoteOptions remote;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RecallQuery recallQuery = Args.check(spec, this::recallQuery);
    if (target.url != null) {
      embedder.refuseRemote();
      return callRemote(recallQuery);
    }
    RecallResult result;
    try (OpenStore store = target.store().open(OpenStore.Access.READ, embedder)) {
      result = store.hotMem().recall(recallQuery);
    }
    if (output.json) {
      output.printJson(result);
    } else {
      print(output.out(), result);
    }
    return CliErrors.OK;
  }

  /** The same query, validated locally first, sent to a running server. */
  private Integer callRemote(RecallQuery q) {
    SearchResult result;
    try (HotMemClient client = remote.client(target.url)) {
      MemoryFilter f = q.filter();
      result =
          client.search(
              new SearchRequest(
                  q.text(),
                  q.topK(),
                  q.maxChars(),
                  q.maxTokens(),
                  f.identifier(),
                  f.namespace(),
                  f.category(),
                  f.kind(),
                  f.scope(),
                  null,
                  null,
                  null,
                  q.minScore()));
    }
    if (output.json) {
      output.printJson(result);
    } else {
      List<Hit> hits = new ArrayList<>();
      result
          .memories()
          .forEach(m -> hits.add(new Hit(m.score(), m.identifier(), m.content(), m.memoryId())));
      print(output.out(), hits);
    }
    return CliErrors.OK;
  }

  private RecallQuery recallQuery() {
    MemoryFilter filter = this.filter.toFilter();
    return RecallQuery.builder(String.join(" ", query))
        .topK(topK)
        .maxChars(maxChars)
        .maxTokens(maxTokens)
        .minScore(minScore)
        .filter(filter)
        .build();
  }

  /** One line of the readable output. */
  record Hit(double score, String identifier, String content, String memoryId) {}

  static void print(PrintWriter out, RecallResult result) {
    List<Hit> hits = new ArrayList<>();
    result
        .memories()
        .forEach(m -> hits.add(new Hit(m.score(), m.identifier(), m.content(), m.memoryId())));
    print(out, hits);
  }

  static void print(PrintWriter out, List<Hit> hits) {
    if (hits.isEmpty()) {
      out.println("no memories match");
    }
    int rank = 1;
    for (Hit h : hits) {
      out.printf(
          Locale.ROOT,
          "%d. %.3f  %s  %s  [%s]%n",
          rank++,
          h.score(),
          h.identifier(),
          Display.line(h.content()),
          h.memoryId());
    }
    out.flush();
  }
}
