package dev.hotmem.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Creates embedders from {@link EmbedderSpec specs} through the {@link EmbedderProvider}s found.
 */
public final class Embedders {
  private Embedders() {}

  /** Creates the embedder {@code spec} names; see {@link #create(EmbedderSpec, Map)}. */
  public static Embedder create(String spec, Map<String, String> settings) {
    return create(EmbedderSpec.parse(spec), settings);
  }

  /**
   * Creates the embedder {@code spec} names.
   *
   * @throws IllegalArgumentException if no provider answers the scheme (the message lists those
   *     that do), or the provider refuses the spec or settings
   */
  public static Embedder create(EmbedderSpec spec, Map<String, String> settings) {
    Map<String, EmbedderProvider> found = providers();
    EmbedderProvider p = found.get(spec.scheme());
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown embedder '"
              + spec
              + "': available are "
              + String.join(", ", found.keySet())
              + (spec.scheme().equals("local")
                  ? " (the local model needs hotmem-embed-onnx on the class path)"
                  : ""));
    }
    return p.create(spec, settings == null ? Map.of() : settings);
  }

  /** Every provider found, by scheme, in scheme order; {@code hash} is always there. */
  public static Map<String, EmbedderProvider> providers() {
    Map<String, EmbedderProvider> out = new TreeMap<>();
    List<EmbedderProvider> all = new ArrayList<>();
    all.add(new HashEmbedder.Provider());
    ServiceLoader.load(EmbedderProvider.class, Embedders.class.getClassLoader()).forEach(all::add);
    for (EmbedderProvider p : all) {
      out.putIfAbsent(p.scheme(), p);
    }
    return out;
  }

  /** The schemes found, comma-separated, for help texts. */
  public static String schemes() {
    return providers().keySet().stream().collect(Collectors.joining(", "));
  }
}
