package dev.hotmem.app;

import dev.hotmem.facts.ChatModel;
import dev.hotmem.facts.FactConfig;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The fact memory's settings for the commands that serve MCP: the namespace, and the optional
 * OpenAI-compatible chat model that consolidates the hot tier at 95% pressure (without one, the
 * oldest hot facts move to the cold tier instead).
 */
final class FactOptions {
  static final String ENV_URL = "HOTMEM_CHAT_URL";
  static final String ENV_MODEL = "HOTMEM_CHAT_MODEL";
  static final String ENV_KEY = "HOTMEM_CHAT_KEY";

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "Namespace of the MCP tools' memories and facts (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--chat-url",
      paramLabel = "URL",
      description =
          "Base URL of an OpenAI-compatible chat endpoint that consolidates hot facts under"
              + " pressure, e.g. http://127.0.0.1:11434/v1 (default: "
              + ENV_URL
              + "; none: the oldest hot facts move to cold instead).")
  String chatUrl;

  @Option(
      names = "--chat-model",
      paramLabel = "MODEL",
      description = "The chat model for --chat-url (default: " + ENV_MODEL + ").")
  String chatModel;

  @Option(
      names = "--chat-key",
      paramLabel = "KEY",
      description =
          "API key for --chat-url (default: "
              + ENV_KEY
              + "; prefer the environment: a flag is visible in the process list).")
  String chatKey;

  /** The configuration; checked before the store is opened, so a bad flag costs nothing. */
  FactConfig config() {
    FactConfig.Builder b = FactConfig.builder().namespace(namespace);
    String url = first(chatUrl, env(ENV_URL));
    String model = first(chatModel, env(ENV_MODEL));
    if (url == null && model == null) {
      return b.build();
    }
    if (url == null || model == null) {
      throw new CliErrors.UsageError(
          "a consolidating chat model needs both --chat-url ("
              + ENV_URL
              + ") and --chat-model ("
              + ENV_MODEL
              + ")");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new CliErrors.UsageError("--chat-url is not a URL: " + url);
    }
    return b.consolidator(
            ChatModel.openAiCompatible(
                uri, model, first(chatKey, env(ENV_KEY)), Duration.ofSeconds(60)))
        .build();
  }

  private static String env(String name) {
    String v = EmbedderOptions.environment.apply(name);
    return v == null || v.isBlank() ? null : v;
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }
}
