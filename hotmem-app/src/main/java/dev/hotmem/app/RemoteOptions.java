package dev.hotmem.app;

import dev.hotmem.client.HotMemClient;
import picocli.CommandLine.Option;

/** {@code --token} for commands that can talk to a running server ({@code --url}). */
final class RemoteOptions {
  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:HOTMEM_TOKEN}",
      description = "Bearer token for --url (default: the HOTMEM_TOKEN environment variable).")
  String token;

  HotMemClient client(String url) {
    HotMemClient.Builder b = HotMemClient.builder(url);
    if (token != null && !token.isEmpty()) {
      b.token(token);
    }
    return b.build();
  }
}
