package dev.hotmem.embed.onnx;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sentence-embedding models {@link LocalEmbedder} runs. Their weights (ONNX, int8-quantised)
 * and tokenizers ship inside the LangChain4j model jars on the class path, so loading one never
 * downloads anything.
 *
 * <p>The {@link #id()} of each is recorded in every store built with it: it must never change for
 * the same weights and the same pooling. A change to either needs a new id.
 */
public enum LocalModel {
  /**
   * BAAI bge-small-en-v1.5, int8: 384 dimensions, [CLS] pooling, 512 tokens per window. The default
   * of the {@code local} scheme: better on LoCoMo than MiniLM (docs/EMBEDDERS.md).
   */
  BGE_SMALL_EN_V15(
      "bge-small-en-v1.5",
      "onnx-bge-small-en-v1.5-q-384",
      "bge-small-en-v1.5-q.onnx",
      "bge-small-en-v1.5-q-tokenizer.json",
      Pooling.CLS,
      512,
      List.of("bge-small-en-v1.5-q", "bge-small-en-v15", "bge-small-en", "bge-small", "bge")),

  /**
   * sentence-transformers all-MiniLM-L6-v2, int8: 384 dimensions, mean pooling, 256 tokens per
   * window (the length it was trained with). About twice as fast as bge-small.
   */
  ALL_MINILM_L6_V2(
      "all-minilm-l6-v2",
      "onnx-all-minilm-l6-v2-q-384",
      "all-minilm-l6-v2-q.onnx",
      "all-minilm-l6-v2-q-tokenizer.json",
      Pooling.MEAN,
      256,
      List.of("all-minilm-l6-v2-q", "minilm-l6-v2", "all-minilm", "minilm-l6", "minilm"));

  /** The model {@code local} without a model name gives. */
  public static final LocalModel DEFAULT = BGE_SMALL_EN_V15;

  /** How a sentence vector is made from the token vectors of the last layer. */
  enum Pooling {
    /** The vector of the first ([CLS]) token. */
    CLS,
    /** The mean of the vectors of the real (not padding) tokens. */
    MEAN
  }

  private final String modelName;
  private final String id;
  private final String modelResource;
  private final String tokenizerResource;
  private final Pooling pooling;
  private final int maxTokens;
  private final List<String> aliases;

  LocalModel(
      String modelName,
      String id,
      String modelResource,
      String tokenizerResource,
      Pooling pooling,
      int maxTokens,
      List<String> aliases) {
    this.modelName = modelName;
    this.id = id;
    this.modelResource = modelResource;
    this.tokenizerResource = tokenizerResource;
    this.pooling = pooling;
    this.maxTokens = maxTokens;
    this.aliases = aliases;
  }

  /**
   * The name in a spec, for example {@code bge-small-en-v1.5} in {@code local:bge-small-en-v1.5}.
   */
  public String modelName() {
    return modelName;
  }

  /** The embedder id recorded in stores, for example {@code onnx-bge-small-en-v1.5-q-384}. */
  public String id() {
    return id;
  }

  /** The spec that selects this model, for example {@code local:bge-small-en-v1.5}. */
  public String spec() {
    return LocalEmbedderProvider.SCHEME + ":" + modelName;
  }

  /** The vector length: 384 for both. */
  public int dimension() {
    return 384;
  }

  /** Other names accepted for this model in a spec (case-insensitive). */
  public List<String> aliases() {
    return aliases;
  }

  String modelResource() {
    return modelResource;
  }

  String tokenizerResource() {
    return tokenizerResource;
  }

  Pooling pooling() {
    return pooling;
  }

  /** Most tokens the model sees at once, [CLS] and [SEP] included; longer texts are windowed. */
  int maxTokens() {
    return maxTokens;
  }

  /**
   * The model a name or alias means, case-insensitively and ignoring surrounding blanks: {@code
   * bge-small-en-v1.5}, {@code BGE-small}, {@code minilm}...
   */
  public static Optional<LocalModel> byName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (LocalModel m : values()) {
      if (m.modelName.equals(n) || m.aliases.contains(n)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
