package dev.hotmem.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMem;
import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.EmbedderSpec;
import dev.hotmem.embed.Embedders;
import dev.hotmem.mount.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * {@code --embedder} and the settings of the OpenAI-compatible embedder, shared by every command
 * that opens a store.
 *
 * <p>Which embedder opens a store: the flag, else {@value #ENV_SPEC}, else the spec the store
 * records (so an existing store opens with its own embedder without flags; for a mount without its
 * database yet, the spec its manifest records), else the face's default ({@link Default}). A named
 * embedder that differs from the store's is refused by the engine with a message that says how to
 * reindex.
 */
final class EmbedderOptions {
  static final String ENV_SPEC = "HOTMEM_EMBEDDER";
  static final String ENV_URL = "HOTMEM_EMBEDDER_URL";
  static final String ENV_URL_OPENAI = "OPENAI_BASE_URL";
  static final String ENV_KEY = "HOTMEM_EMBEDDER_KEY";
  static final String ENV_KEY_OPENAI = "OPENAI_API_KEY";

  /** The environment; tests of this package replace it. */
  static Function<String, String> environment = System::getenv;

  /** What a face uses when nothing names an embedder and the store records none. */
  enum Default {
    /** The built-in hash embedder: commands for scripts, where loading a model would dominate. */
    HASH,
    /** The local model when {@code hotmem-embed-onnx} is on the class path, else hash: serve. */
    LOCAL
  }

  /** An embedder spec and where it came from, for messages. */
  record Choice(EmbedderSpec spec, String source) {}

  @Option(
      names = "--embedder",
      paramLabel = "SPEC",
      description =
          "hash[:DIM], local[:MODEL] or openai:MODEL (default: the "
              + ENV_SPEC
              + " environment variable, else the embedder the store records, else the command's"
              + " default).")
  String spec;

  @Option(
      names = "--embedder-url",
      paramLabel = "URL",
      description =
          "Base URL of an OpenAI-compatible server for openai:MODEL, for example"
              + " http://localhost:11434/v1 (default: "
              + ENV_URL
              + ", else "
              + ENV_URL_OPENAI
              + ", else https://api.openai.com/v1).")
  String url;

  @Option(
      names = "--embedder-key",
      paramLabel = "KEY",
      description =
          "API key for openai:MODEL (default: "
              + ENV_KEY
              + ", else "
              + ENV_KEY_OPENAI
              + "; prefer the environment: a flag is visible in the process list).")
  String key;

  /** True if the flag or the environment names an embedder. */
  boolean named() {
    return spec != null || env(ENV_SPEC) != null;
  }

  /** True if any embedder flag was given on the command line. */
  boolean given() {
    return spec != null || url != null || key != null;
  }

  /**
   * Refuses embedder flags for a command sent to a server ({@code --url}), which embeds with its
   * own embedder: silently ignoring them would mislead.
   */
  void refuseRemote() {
    if (given()) {
      throw new CliErrors.UsageError(
          "--embedder, --embedder-url and --embedder-key apply to --db and --mount; a server"
              + " (--url) embeds with the embedder it was started with");
    }
  }

  /** Which embedder opens the store at {@code db} (which may not exist yet). */
  Choice choose(Path db, Default fallback) {
    if (spec != null) {
      return new Choice(parse(spec, "--embedder"), "--embedder");
    }
    String fromEnv = env(ENV_SPEC);
    if (fromEnv != null) {
      return new Choice(parse(fromEnv, ENV_SPEC), ENV_SPEC);
    }
    Optional<EmbedderSpec> recorded = db == null ? Optional.empty() : HotMem.recordedEmbedder(db);
    if (recorded.isPresent()) {
      return new Choice(recorded.get(), "the store");
    }
    Optional<EmbedderSpec> manifest = manifestSpec(db);
    if (manifest.isPresent()) {
      return new Choice(manifest.get(), "the store");
    }
    boolean local = fallback == Default.LOCAL && Embedders.providers().containsKey("local");
    return new Choice(new EmbedderSpec(local ? "local" : "hash", null), "the default");
  }

  /**
   * Creates the embedder for the store at {@code db}.
   *
   * @throws CliErrors.UsageError if a spec the user gave is not one, or names no provider
   * @throws IllegalStateException if the store records an embedder this build cannot create
   */
  Embedder create(Path db, Default fallback) {
    Choice choice = choose(db, fallback);
    try {
      return Embedders.create(choice.spec(), settings());
    } catch (IllegalArgumentException e) {
      if (choice.source().equals("the store")) {
        throw new IllegalStateException(
            db
                + " records embedder '"
                + choice.spec()
                + "', which cannot be created here: "
                + e.getMessage(),
            e);
      }
      throw new CliErrors.UsageError(e.getMessage() + " (from " + choice.source() + ")");
    }
  }

  /** The provider settings from the flags and the environment; the key is never printed. */
  Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    String baseUrl = first(url, env(ENV_URL), env(ENV_URL_OPENAI));
    if (baseUrl != null) {
      s.put("base_url", baseUrl);
    }
    String apiKey = first(key, env(ENV_KEY), env(ENV_KEY_OPENAI));
    if (apiKey != null) {
      s.put("api_key", apiKey);
    }
    return s;
  }

  /**
   * The spec a mount's manifest records when its database is not there yet (a mount copied as
   * {@code swap.jsonl} + {@code manifest.json}), so loading the swap file keeps its embedder. A
   * manifest that cannot be read counts as none: the mount rewrites it from the database anyway.
   */
  private static Optional<EmbedderSpec> manifestSpec(Path db) {
    if (db == null
        || Files.exists(db)
        || !Mount.DATABASE_FILE.equals(String.valueOf(db.getFileName()))) {
      return Optional.empty();
    }
    Path file = db.resolveSibling(Mount.MANIFEST_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode spec = new ObjectMapper().readTree(file.toFile()).get("embedder_spec");
      return spec != null && spec.isTextual()
          ? Optional.of(EmbedderSpec.parse(spec.asText()))
          : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static EmbedderSpec parse(String text, String source) {
    try {
      return EmbedderSpec.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliErrors.UsageError(e.getMessage() + " (from " + source + ")");
    }
  }

  private static String env(String name) {
    String v = environment.apply(name);
    return v == null || v.isBlank() ? null : v;
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
