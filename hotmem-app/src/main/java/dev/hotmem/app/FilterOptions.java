package dev.hotmem.app;

import dev.hotmem.MemoryFilter;
import picocli.CommandLine.Option;

/** The filter options {@code search} and {@code list} share, as a picocli mixin. */
final class FilterOptions {
  @Option(names = "--identifier", paramLabel = "ID", description = "Only memories about ID.")
  String identifier;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "The namespace (default: default).")
  String namespace;

  @Option(names = "--category", paramLabel = "C", description = "Only memories in category C.")
  String category;

  @Option(names = "--kind", paramLabel = "K", description = "Only memories of kind K.")
  String kind;

  @Option(names = "--scope", paramLabel = "S", description = "Only memories in scope S.")
  String scope;

  /** The filter these options describe (validated by the engine's builder). */
  MemoryFilter toFilter() {
    return MemoryFilter.builder()
        .namespace(namespace)
        .identifier(identifier)
        .category(category)
        .kind(kind)
        .scope(scope)
        .build();
  }
}
