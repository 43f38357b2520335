package dev.hotmem.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotmem.NewMemory;
import dev.hotmem.Remembered;
import dev.hotmem.client.AddRequest;
import dev.hotmem.client.AddResult;
import dev.hotmem.client.HotMemClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hotmem add}: stores one memory; a duplicate answers with the stored one. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Store one fact. An active memory with the same identifier and text is not stored twice:"
          + " the stored one is returned (\"duplicate\": true)."
    })
final class AddCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  TargetOptions target;

  @Mixin EmbedderOptions embedder;

  @Parameters(paramLabel = "FACT", description = "The fact text.")
  String fact;

  @Option(
      names = {"-i", "--identifier"},
      paramLabel = "ID",
      description = "The subject the fact is about (default: ${DEFAULT-VALUE}).",
      defaultValue = NewMemory.DEFAULT_IDENTIFIER)
  String identifier;

  @Option(
      names = "--importance",
      paramLabel = "0..1",
      description = "How much it matters (default: 0.5).")
  Double importance;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "The namespace (default: default).")
  String namespace;

  @Option(names = "--kind", paramLabel = "K", description = "The kind of memory (default: fact).")
  String kind;

  @Option(names = "--category", paramLabel = "C", description = "A free-text category.")
  String category;

  @Option(names = "--scope", paramLabel = "S", description = "The unit of work it belongs to.")
  String scope;

  @Option(
      names = "--context",
      paramLabel = "TEXT",
      description =
          "The text the fact answers or follows (a question, the previous turn); searched and"
              + " embedded with it.")
  String context;

  @Option(
      names = "--source",
      paramLabel = "SRC",
      description = "Where the fact came from (a tool, a file, a URL).")
  String source;

  @Option(names = "--metadata", paramLabel = "JSON", description = "A JSON object.")
  String metadata;

  @Option(names = "--ttl-seconds", paramLabel = "S", description = "Expire after S seconds.")
  Long ttlSeconds;

  @Mixin RemoteOptions remote;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    NewMemory memory = Args.check(spec, this::newMemory);
    if (target.url != null) {
      embedder.refuseRemote();
      return callRemote(memory);
    }
    Remembered added;
    try (OpenStore store = target.store().open(OpenStore.Access.CREATE, embedder)) {
      added = store.hotMem().remember(memory);
    }
    if (output.json) {
      output.printJson(WireFormat.added(added));
    } else {
      output
          .out()
          .printf(
              "%s %s (%s)%n",
              added.duplicate() ? "duplicate of" : "added",
              added.memory().id(),
              added.memory().identifier());
    }
    return CliErrors.OK;
  }

  /** The same memory, validated locally first, sent to a running server. */
  private Integer callRemote(NewMemory m) {
    AddResult added;
    try (HotMemClient client = remote.client(target.url)) {
      added =
          client.add(
              new AddRequest(
                  m.identifier(),
                  m.content(),
                  m.importance(),
                  m.source(),
                  m.metadata().isEmpty() ? null : m.metadata(),
                  ttlSeconds,
                  m.namespace(),
                  m.category(),
                  m.kind(),
                  m.scope(),
                  m.context()));
    }
    if (output.json) {
      ObjectNode answer = WireFormat.MAPPER.valueToTree(added.memory());
      answer.put("duplicate", added.duplicate());
      output.printJson(answer);
    } else {
      output
          .out()
          .printf(
              "%s %s (%s)%n",
              added.duplicate() ? "duplicate of" : "added",
              added.memoryId(),
              added.memory().identifier());
      output.out().flush();
    }
    return CliErrors.OK;
  }

  private NewMemory newMemory() {
    NewMemory.Builder b = NewMemory.builder(identifier, fact);
    if (importance != null) {
      b.importance(importance);
    }
    b.namespace(namespace)
        .kind(kind)
        .category(category)
        .scope(scope)
        .source(source)
        .context(context);
    if (metadata != null) {
      try {
        b.metadata(WireFormat.parseObject(metadata));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--metadata: " + e.getMessage(), e);
      }
    }
    if (ttlSeconds != null) {
      b.ttl(Duration.ofSeconds(ttlSeconds));
    }
    return b.build();
  }
}
