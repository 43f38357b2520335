package dev.hotmem.app;

import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryMessage;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import java.io.PrintWriter;
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

  @Option(names = "--min-score", paramLabel = "0..1", defaultValue = "0")
  double minScore;

  @Option(names = "--identifier", paramLabel = "ID")
  String identifier;

  @Option(names = "--namespace", paramLabel = "NS")
  String namespace;

  @Option(names = "--category")
  String category;

  @Option(names = "--kind")
  String kind;

  @Option(names = "--scope")
  String scope;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RecallQuery recallQuery = Args.check(spec, this::recallQuery);
    RecallResult result;
    try (OpenStore store = target.store().open(true)) {
      result = store.hotMem().recall(recallQuery);
    }
    if (output.json) {
      output.printJson(result);
    } else {
      print(output.out(), result);
    }
    return CliErrors.OK;
  }

  private RecallQuery recallQuery() {
    MemoryFilter filter =
        MemoryFilter.builder()
            .namespace(namespace)
            .identifier(identifier)
            .category(category)
            .kind(kind)
            .scope(scope)
            .build();
    return RecallQuery.builder(String.join(" ", query))
        .topK(topK)
        .maxChars(maxChars)
        .maxTokens(maxTokens)
        .minScore(minScore)
        .filter(filter)
        .build();
  }

  static void print(PrintWriter out, RecallResult result) {
    if (result.memories().isEmpty()) {
      out.println("no memories match");
    }
    int rank = 1;
    for (MemoryMessage m : result.memories()) {
      out.printf(
          Locale.ROOT,
          "%d. %.3f  %s  %s  [%s]%n",
          rank++,
          m.score(),
          m.identifier(),
          Display.line(m.content()),
          m.memoryId());
    }
    out.flush();
  }
}
