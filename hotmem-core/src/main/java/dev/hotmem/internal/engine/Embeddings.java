package dev.hotmem.internal.engine;

import dev.hotmem.HotMemException;
import dev.hotmem.embed.Embedder;
import dev.hotmem.internal.store.VectorCodec;
import dev.hotmem.internal.trace.Tracer;
import java.util.ArrayList;
import java.util.List;

/** Calls an embedder and checks what it returns, so a broken model never writes garbage. */
final class Embeddings {
  private Embeddings() {}

  /**
   * Embeds {@code texts} and L2-normalises each vector.
   *
   * @throws HotMemException.EmbeddingFailed if the embedder throws, or returns the wrong number of
   *     vectors, a vector of the wrong dimension, or a non-finite value
   */
  static List<float[]> embed(Embedder embedder, List<String> texts) {
    List<float[]> out;
    try {
      out = embedder.embed(texts);
    } catch (HotMemException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new HotMemException.EmbeddingFailed(
          "embedder " + embedder.id() + " failed on a batch of " + texts.size() + ": " + e, e);
    }
    if (out == null || out.size() != texts.size()) {
      throw new HotMemException.EmbeddingFailed(
          "embedder "
              + embedder.id()
              + " returned "
              + (out == null ? "null" : out.size() + " vectors")
              + " for "
              + texts.size()
              + " texts",
          null);
    }
    for (int i = 0; i < out.size(); i++) {
      float[] v = out.get(i);
      if (v == null || v.length != embedder.dimension()) {
        throw new HotMemException.EmbeddingFailed(
            "embedder "
                + embedder.id()
                + " returned a vector of dimension "
                + (v == null ? "null" : v.length)
                + ", expected "
                + embedder.dimension(),
            null);
      }
      float[] copy = v.clone();
      if (!VectorCodec.normalize(copy)) {
        throw new HotMemException.EmbeddingFailed(
            "embedder " + embedder.id() + " returned a non-finite value for text " + i, null);
      }
      out.set(i, copy);
    }
    return out;
  }

  /**
   * Embeds {@code texts} {@code batch} at a time (see {@link #embed}), under one {@code embed}
   * trace span.
   */
  static float[][] embedInBatches(Embedder embedder, List<String> texts, int batch, Tracer tracer) {
    float[][] out = new float[texts.size()][];
    if (texts.isEmpty()) {
      return out;
    }
    Tracer.Span span = tracer.start("embed", "embed");
    for (int from = 0; from < texts.size(); from += batch) {
      int to = Math.min(texts.size(), from + batch);
      List<float[]> vs = embed(embedder, texts.subList(from, to));
      for (int k = from; k < to; k++) {
        out[k] = vs.get(k - from);
      }
    }
    span.put("count", texts.size()).put("model", embedder.id()).end();
    return out;
  }

  /**
   * The vectors of stored memories: for a memory without context, its content's vector; for one
   * with a context, the vector of its context and content together (context on the line before), so
   * that a question matches the fact that answers it through the words of either. Every path that
   * embeds a stored memory (remember, hydrate, reindex) goes through here, so a memory gets the
   * same vector on each.
   *
   * <p>Measured on LoCoMo with the default model (docs/BENCHMARKS.md): the pair's vector and the
   * normalised mean of the content's and the pair's vectors gave the same quality (Recall@10 0.750
   * and 0.747, MRR 0.528 and 0.544); the pair costs one model call where the mean costs two.
   *
   * @param contexts one per content, null where a memory has none
   */
  static float[][] embedDocuments(
      Embedder embedder, List<String> contents, List<String> contexts, int batch, Tracer tracer) {
    List<String> texts = new ArrayList<>(contents.size());
    for (int i = 0; i < contents.size(); i++) {
      String context = contexts.get(i);
      texts.add(context == null ? contents.get(i) : context + "\n" + contents.get(i));
    }
    return embedInBatches(embedder, texts, batch, tracer);
  }
}
