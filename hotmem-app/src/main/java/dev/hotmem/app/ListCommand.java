package dev.hotmem.app;

import dev.hotmem.ListQuery;
import dev.hotmem.Memory;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryPage;
import dev.hotmem.SortOrder;
import dev.hotmem.client.HotMemClient;
import dev.hotmem.client.ListRequest;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hotmem list}: a page of memories in creation order. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List active memories by creation time (newest first unless --order asc).")
final class ListCommand implements Callable<Integer> {
  @ArgGroup(multiplicity = "1")
  TargetOptions target;

  @Mixin EmbedderOptions embedder;

  @Mixin FilterOptions filter;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Page size, 1..1000 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--offset",
      paramLabel = "N",
      defaultValue = "0",
      description = "Skip the first N matches (default: ${DEFAULT-VALUE}).")
  long offset;

  @Option(
      names = "--order",
      paramLabel = "asc|desc",
      defaultValue = "desc",
      description = "By creation time (default: ${DEFAULT-VALUE}).")
  SortOrder order;

  @Mixin RemoteOptions remote;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ListQuery query = Args.check(spec, this::listQuery);
    if (target.url != null) {
      embedder.refuseRemote();
      return callRemote(query);
    }
    MemoryPage page;
    try (OpenStore store = target.store().open(OpenStore.Access.READ, embedder)) {
      page = store.hotMem().list(query);
    }
    if (output.json) {
      output.printJson(WireFormat.page(page));
    } else {
      print(output.out(), page);
    }
    return CliErrors.OK;
  }

  /** The same page, validated locally first, asked of a running server. */
  private Integer callRemote(ListQuery q) {
    // GET /v1/memories filters by identifier and namespace only; a filter that cannot be applied
    // is refused, never dropped.
    for (String[] option :
        new String[][] {
          {"--category", filter.category}, {"--kind", filter.kind}, {"--scope", filter.scope}
        }) {
      if (option[1] != null) {
        throw new ParameterException(
            spec.commandLine(),
            option[0]
                + " cannot be used with --url (the server lists by"
                + " --identifier and --namespace only)");
      }
    }
    dev.hotmem.client.MemoryPage page;
    try (HotMemClient client = remote.client(target.url)) {
      MemoryFilter f = q.filter();
      page =
          client.list(
              new ListRequest(
                  f.identifier(),
                  f.namespace(),
                  q.limit(),
                  q.offset(),
                  q.order().name().toLowerCase(Locale.ROOT)));
    }
    if (output.json) {
      output.printJson(page);
    } else {
      List<Row> rows = new ArrayList<>();
      page.memories()
          .forEach(
              m -> rows.add(new Row(m.memoryId(), m.createdAt(), m.identifier(), m.content())));
      print(output.out(), rows, page.count(), page.total(), page.offset());
    }
    return CliErrors.OK;
  }

  private ListQuery listQuery() {
    MemoryFilter filter = this.filter.toFilter();
    return new ListQuery(filter, limit, offset, order);
  }

  /** One line of the readable output. */
  record Row(String memoryId, Instant createdAt, String identifier, String content) {}

  static void print(PrintWriter out, MemoryPage page) {
    List<Row> rows = new ArrayList<>();
    for (Memory m : page.memories()) {
      rows.add(new Row(m.id(), m.createdAt(), m.identifier(), m.content()));
    }
    print(out, rows, page.count(), page.total(), page.offset());
  }

  static void print(PrintWriter out, List<Row> rows, int count, long total, long offset) {
    for (Row r : rows) {
      out.printf(
          "%s  %s  %s  %s%n",
          r.memoryId(), r.createdAt(), r.identifier(), Display.line(r.content()));
    }
    out.printf("%d of %d (offset %d)%n", count, total, offset);
    out.flush();
  }
}
