package dev.hotmem.embed.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hotmem.embed.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link LocalModel} run in this process by ONNX Runtime: no server, no network, no download. The
 * weights and the tokenizer are read from the model jar on the class path when the model is first
 * used; each model is loaded once per JVM and shared ({@link #of}).
 *
 * <p>Thread-safe: the ONNX session and the tokenizer may be used from several threads at once.
 * Deterministic for a given {@link #id()} on one machine (the same text gives the same vector; two
 * CPUs with different instruction sets may differ in the last bits).
 *
 * <h2>Implementation notes</h2>
 *
 * <ul>
 *   <li>Each text is one model call of one row, never padded into a batch with others. The models
 *       are int8 with dynamic quantisation, whose scale is computed over the whole input tensor: in
 *       a padded batch a text's vector depends on its neighbours (cosine 0.991-0.997 to the same
 *       text alone, measured on both models), which would break "the same text gives the same
 *       vector". A batch instead spreads its texts over up to {@code availableProcessors} threads
 *       (the caller's and a shared daemon pool), each call running ONNX Runtime single-threaded;
 *       measured on a busy 2-core machine, this was as fast as padded batches on two intra-op
 *       threads or faster (docs/EMBEDDERS.md), and one thread per call never oversubscribes the
 *       cores when many requests embed at once.
 *   <li>A text longer than one window ({@link LocalModel#maxTokens()} tokens) is cut at word
 *       boundaries; its vector is the token-count-weighted mean of its windows' vectors, as in
 *       LangChain4j's encoder.
 *   <li>LangChain4j's own model classes are not used: loading their class loads the model a second
 *       time. Only the weights and tokenizer files of their jars are.
 *   <li>A text without any token (empty, blanks only) gets the all-zero vector, as with the hash
 *       embedder: it has no direction, and recall skips the vector scan for it.
 *   <li>Text reaches the tokenizer (native code) with NUL characters and unpaired surrogates
 *       replaced by U+FFFD, so no input can make the native side see invalid UTF-8.
 * </ul>
 */
public final class LocalEmbedder implements Embedder {

  /** Threads one {@link #embed(List)} call uses at most: the caller's and the pool's. */
  private static final int WORKERS = Runtime.getRuntime().availableProcessors();

  /** The helper threads of every local embedder; daemons, created on demand. */
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          Math.max(1, WORKERS - 1),
          r -> {
            Thread t = new Thread(r, "hotmem-local-embedder");
            t.setDaemon(true);
            return t;
          });

  private static final ConcurrentMap<LocalModel, LocalEmbedder> LOADED = new ConcurrentHashMap<>();

  private final LocalModel model;

  /** The session and tokenizer, loaded by the first {@link #embed(List)}; then never null. */
  private volatile Loaded loaded;

  /** What running the model needs: loaded once, on first use. */
  private static final class Loaded {
    final OrtEnvironment environment;
    final OrtSession session;
    final boolean wantsTokenTypes;
    final HuggingFaceTokenizer tokenizer;
    final long clsId;
    final long sepId;

    Loaded(LocalModel model) {
      DjlOffline.apply();
      byte[] weights = readResource(model.modelResource());
      try {
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
          // One thread per model call; a batch spreads its texts over threads instead (see notes).
          options.setIntraOpNumThreads(1);
          options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
          this.session = environment.createSession(weights, options);
        }
      } catch (OrtException e) {
        throw new IllegalStateException(
            "cannot load the ONNX model " + model.modelResource() + ": " + e.getMessage(), e);
      }
      this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
      Map<String, String> options = new HashMap<>();
      options.put("addSpecialTokens", "false");
      options.put("padding", "false");
      options.put("truncation", "false");
      try (InputStream in = open(model.tokenizerResource())) {
        this.tokenizer = HuggingFaceTokenizer.newInstance(in, options);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the tokenizer " + model.tokenizerResource() + ": " + e.getMessage(), e);
      }
      long[] specials = tokenizer.encode("", true, false).getIds();
      if (specials.length != 2) {
        throw new IllegalStateException(
            "tokenizer "
                + model.tokenizerResource()
                + " should frame a text with [CLS] and [SEP]; found "
                + Arrays.toString(specials));
      }
      this.clsId = specials[0];
      this.sepId = specials[1];
    }
  }

  private LocalEmbedder(LocalModel model) {
    this.model = model;
  }

  /** Loads the model and tokenizer on first use (thread-safe; later calls cost a volatile read). */
  private Loaded loaded() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (this) {
        l = loaded;
        if (l == null) {
          l = new Loaded(model);
          loaded = l;
        }
      }
    }
    return l;
  }

  /**
   * The embedder of {@code model}, shared. Its id, dimension and spec are known at once; the model
   * itself (about half a second and 50-100 MB) is loaded by the first {@link #embed(List)}, so a
   * command that opens a store without embedding anything (status, list, forget, snapshot, an MCP
   * {@code initialize}) never pays for it.
   */
  public static LocalEmbedder of(LocalModel model) {
    Objects.requireNonNull(model, "model");
    return LOADED.computeIfAbsent(model, LocalEmbedder::new);
  }

  /** A new embedder of {@code model} that no one else shares: for tests of the lazy load. */
  static LocalEmbedder unshared(LocalModel model) {
    return new LocalEmbedder(model);
  }

  /** Whether the model has been loaded (by a first {@link #embed(List)}). */
  boolean isLoaded() {
    return loaded != null;
  }

  /** The model this embedder runs. */
  public LocalModel model() {
    return model;
  }

  /** {@link LocalModel#id()}, for example {@code onnx-bge-small-en-v1.5-q-384}. */
  @Override
  public String id() {
    return model.id();
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  /** The spec that recreates this embedder, for example {@code local:bge-small-en-v1.5}. */
  @Override
  public String spec() {
    return model.spec();
  }

  /**
   * Loads the model and the tokenizer (about 0.6 s for bge-small on a 2-core machine) and runs the
   * model once: the first call on a new session took 10-12 ms where the next ones took 4 ms.
   */
  @Override
  public void warmUp() {
    embed("warm up");
  }

  /**
   * Embeds the texts, spread over the cores (see the class notes).
   *
   * @param texts the texts, none null; may be empty
   * @return a new, mutable list with one new unit-length (or, for a text without tokens, all-zero)
   *     vector of {@link #dimension()} floats per text, in order
   * @throws NullPointerException if {@code texts} or one of its elements is null
   * @throws IllegalStateException if the model fails
   */
  @Override
  public List<float[]> embed(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    if (texts.isEmpty()) {
      return new ArrayList<>();
    }
    Loaded l = loaded();
    float[][] sums = new float[texts.size()][];
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null) {
        throw new NullPointerException("texts[" + i + "] is null");
      }
      sums[i] = new float[dimension()];
      windows.addAll(windows(l, i, text));
    }
    float[][] pooled = runAll(l, windows);
    for (int k = 0; k < windows.size(); k++) {
      Window w = windows.get(k);
      float[] sum = sums[w.text];
      for (int d = 0; d < sum.length; d++) {
        sum[d] += pooled[k][d] * w.weight;
      }
    }
    List<float[]> out = new ArrayList<>(texts.size());
    for (float[] sum : sums) {
      normalize(sum);
      out.add(sum);
    }
    return out;
  }

  /**
   * Runs every window, each as its own model call, spread over the calling thread and up to {@code
   * workers - 1} threads of {@link #POOL}.
   */
  private float[][] runAll(Loaded l, List<Window> windows) {
    float[][] pooled = new float[windows.size()][];
    int helpers = Math.min(windows.size(), WORKERS) - 1;
    if (helpers <= 0) {
      for (int k = 0; k < windows.size(); k++) {
        pooled[k] = run(l, windows.get(k));
      }
      return pooled;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable work =
        () -> {
          for (int k = next.getAndIncrement(); k < windows.size(); k = next.getAndIncrement()) {
            pooled[k] = run(l, windows.get(k));
          }
        };
    List<Future<?>> started = new ArrayList<>(helpers);
    for (int h = 0; h < helpers; h++) {
      started.add(POOL.submit(work));
    }
    RuntimeException failure = null;
    try {
      work.run();
    } catch (RuntimeException e) {
      failure = e;
      next.set(windows.size()); // the helpers stop after their current window
    }
    boolean interrupted = false;
    for (Future<?> f : started) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the helpers write into pooled: wait for them regardless
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
    return pooled;
  }

  @Override
  public String toString() {
    return "LocalEmbedder[" + model.id() + "]";
  }

  /** One model input: a text's tokens (at most one window), framed by [CLS] and [SEP]. */
  private record Window(int text, long[] ids, int weight) {}

  /** The windows of one text; none when it has no token. */
  private List<Window> windows(Loaded l, int text, String content) {
    Encoding enc = l.tokenizer.encode(safeForNative(content), false, false);
    long[] ids = enc.getIds();
    long[] words = enc.getWordIds();
    int size = model.maxTokens() - 2;
    List<Window> out = new ArrayList<>(1 + ids.length / size);
    int from = 0;
    while (from < ids.length) {
      int to = Math.min(ids.length, from + size);
      if (to < ids.length) {
        // Do not split a word's pieces across windows, unless one word fills a whole window.
        int cut = to;
        while (cut > from && words[cut] >= 0 && words[cut] == words[cut - 1]) {
          cut--;
        }
        if (cut > from) {
          to = cut;
        }
      }
      long[] framed = new long[to - from + 2];
      framed[0] = l.clsId;
      System.arraycopy(ids, from, framed, 1, to - from);
      framed[framed.length - 1] = l.sepId;
      out.add(new Window(text, framed, to - from));
      from = to;
    }
    return out;
  }

  /** Runs one window through the model; returns its pooled vector. */
  private float[] run(Loaded l, Window window) {
    long[] ids = window.ids;
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1L);
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(l.environment, LongBuffer.wrap(ids), shape));
      inputs.put(
          "attention_mask", OnnxTensor.createTensor(l.environment, LongBuffer.wrap(mask), shape));
      if (l.wantsTokenTypes) {
        inputs.put(
            "token_type_ids",
            OnnxTensor.createTensor(l.environment, LongBuffer.wrap(new long[ids.length]), shape));
      }
      try (OrtSession.Result result = l.session.run(inputs)) {
        return pool(result.get(0), ids.length);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "model " + model.id() + " failed on a text of " + ids.length + " tokens: " + e, e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private float[] pool(OnnxValue output, int tokens) {
    int dim = dimension();
    if (!(output instanceof OnnxTensor tensor)
        || !Arrays.equals(tensor.getInfo().getShape(), new long[] {1, tokens, dim})) {
      throw new IllegalStateException(
          "model "
              + model.id()
              + " should answer token vectors of shape [1, "
              + tokens
              + ", "
              + dim
              + "]; found "
              + output.getInfo());
    }
    FloatBuffer hidden = tensor.getFloatBuffer();
    float[] v = new float[dim];
    if (model.pooling() == LocalModel.Pooling.CLS) {
      hidden.get(0, v);
    } else {
      for (int t = 0; t < tokens; t++) {
        for (int d = 0; d < dim; d++) {
          v[d] += hidden.get(t * dim + d);
        }
      }
      for (int d = 0; d < dim; d++) {
        v[d] /= tokens;
      }
    }
    return v;
  }

  private static void normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum == 0) {
      return;
    }
    float inverse = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inverse;
    }
  }

  /** {@code text} with NUL characters and unpaired surrogates replaced by U+FFFD. */
  static String safeForNative(String text) {
    StringBuilder out = null;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean bad;
      if (Character.isHighSurrogate(c)) {
        bad = i + 1 >= n || !Character.isLowSurrogate(text.charAt(i + 1));
        if (!bad) {
          if (out != null) {
            out.append(c).append(text.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        bad = c == 0 || Character.isLowSurrogate(c);
      }
      if (bad && out == null) {
        out = new StringBuilder(n).append(text, 0, i);
      }
      if (out != null) {
        out.append(bad ? '\uFFFD' : c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static byte[] readResource(String name) {
    try (InputStream in = open(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(String name) {
    InputStream in = LocalEmbedder.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          name
              + " is not on the class path: the local model needs its LangChain4j model jar"
              + " (dev.langchain4j:langchain4j-embeddings-"
              + (name.startsWith("bge") ? "bge-small-en-v15-q" : "all-minilm-l6-v2-q")
              + ")");
    }
    return in;
  }
}
