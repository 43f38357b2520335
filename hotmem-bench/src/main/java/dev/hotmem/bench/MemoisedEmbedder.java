package dev.hotmem.bench;

import dev.hotmem.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic embedder with every vector it made kept, so an evaluation that stores the same
 * texts under several configurations calls the model once per text. Same id and vectors as the
 * embedder it wraps. Unbounded: for benchmarks only.
 */
final class MemoisedEmbedder implements Embedder {
  private final Embedder model;
  private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

  MemoisedEmbedder(Embedder model) {
    this.model = model;
  }

  @Override
  public String id() {
    return model.id();
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public String spec() {
    return model.spec();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<String> missing = new ArrayList<>();
    for (String t : texts) {
      if (!vectors.containsKey(t)) {
        missing.add(t);
      }
    }
    if (!missing.isEmpty()) {
      List<float[]> made = model.embed(missing);
      for (int i = 0; i < missing.size(); i++) {
        vectors.put(missing.get(i), made.get(i));
      }
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(vectors.get(t).clone());
    }
    return out;
  }
}
