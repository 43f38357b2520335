package dev.hotmem.app;

import dev.hotmem.ListQuery;
import dev.hotmem.Memory;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryPage;
import dev.hotmem.SortOrder;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hotmem list}: a page of memories in creation order. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List active memories by creation time (newest first unless --order asc).")
final class ListCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  TargetOptions target;

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

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Page size, 1..1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--offset", paramLabel = "N", defaultValue = "0")
  long offset;

  @Option(
      names = "--order",
      paramLabel = "asc|desc",
      defaultValue = "desc",
      description = "By creation time (default: ${DEFAULT-VALUE}).")
  SortOrder order;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ListQuery query = Args.check(spec, this::listQuery);
    MemoryPage page;
    try (OpenStore store = target.store().open(true)) {
      page = store.hotMem().list(query);
    }
    if (output.json) {
      output.printJson(WireFormat.page(page));
    } else {
      print(output.out(), page);
    }
    return CliErrors.OK;
  }

  private ListQuery listQuery() {
    MemoryFilter filter =
        MemoryFilter.builder()
            .namespace(namespace)
            .identifier(identifier)
            .category(category)
            .kind(kind)
            .scope(scope)
            .build();
    return new ListQuery(filter, limit, offset, order);
  }

  static void print(PrintWriter out, MemoryPage page) {
    for (Memory m : page.memories()) {
      out.printf(
          "%s  %s  %s  %s%n", m.id(), m.createdAt(), m.identifier(), Display.line(m.content()));
    }
    out.printf("%d of %d (offset %d)%n", page.count(), page.total(), page.offset());
    out.flush();
  }
}
