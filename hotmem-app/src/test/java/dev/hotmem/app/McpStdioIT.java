package dev.hotmem.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scripted session over stdio: the SDK's client starts {@code hotmem mcp} as a child. */
class McpStdioIT extends McpSessionContract {

  static McpSyncClient stdioClient(Path db, String... more) {
    List<String> args = new java.util.ArrayList<>(Binary.javaJar("mcp", "--db", db.toString()));
    args.addAll(List.of(more));
    ServerParameters params =
        ServerParameters.builder(args.get(0)).args(args.subList(1, args.size())).build();
    StdioClientTransport transport =
        new StdioClientTransport(
            params, new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper()));
    return McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .build();
  }

  @Override
  McpSyncClient client() {
    return stdioClient(dir.resolve("m.sqlite"), "--embedder", "hash");
  }

  @Test
  void memoriesOutliveTheSession() throws Exception {
    Path db = dir.resolve("kept.sqlite");
    try (McpSyncClient client = stdioClient(db, "--embedder", "hash")) {
      client.initialize();
      ok(client, "remember", args("content", "The staging database is on port 5433"));
    }
    try (McpSyncClient client = stdioClient(db)) {
      client.initialize();
      assertThat(ok(client, "recall", args("query", "staging database port")).toString())
          .contains("5433");
    }
  }

  @Test
  void traceWritesOneJsonLinePerOperationToStderrAndNothingToTheProtocol() throws Exception {
    Path db = dir.resolve("traced.sqlite");
    Path err = dir.resolve("traced.err");
    Process p =
        new ProcessBuilder(
                Binary.javaJar("mcp", "--db", db.toString(), "--embedder", "hash", "--trace"))
            .redirectError(err.toFile())
            .start();
    try {
      java.io.OutputStream in = p.getOutputStream();
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String[] requests = {
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
            + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
            + "\"name\":\"memory_search\",\"arguments\":{\"query\":\"staging database\"}}}"
      };
      for (String r : requests) {
        in.write((r + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        in.flush();
      }
      assertThat(out.readLine()).contains("\"serverInfo\"");
      String answer = out.readLine();
      assertThat(answer).contains("\"id\":2").doesNotContain("\"op\"");
      in.close();
      assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readAllLines(err))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("{")
                      .contains("\"op\": \"recall\"")
                      .contains("\"keyword_ms\""));
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void sigtermClosesTheStoreAndExitsWhileTheClientKeepsStdinOpen() throws Exception {
    Path db = dir.resolve("term.sqlite");
    Path err = dir.resolve("term.err");
    Process p =
        new ProcessBuilder(Binary.javaJar("mcp", "--db", db.toString(), "--embedder", "hash"))
            .redirectError(err.toFile())
            .start();
    try {
      java.io.OutputStream in = p.getOutputStream();
      in.write(
          ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                  + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                  + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      in.flush();
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(out.readLine()).contains("\"serverInfo\"");
      p.destroy();
      assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS))
          .as("exits on SIGTERM; stderr: %s", Files.readString(err))
          .isTrue();
      assertThat(Files.readString(err)).doesNotContain("error");
      assertThat(db.resolveSibling("term.sqlite-wal")).doesNotExist();
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * The store opens while the session starts, so the handshake may be answered; a store that cannot
   * be opened still ends the command as any failure does, and the file is left as it was.
   */
  @Test
  void aFileThatIsNotAStoreEndsTheSessionWithOneLineAndExitCode1() throws Exception {
    String text = "these are my notes, not a database\n".repeat(100);
    Path notes = Files.writeString(dir.resolve("notes.sqlite"), text);
    Path requests =
        Files.writeString(
            dir.resolve("requests.jsonl"),
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}\n"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"remember\",\"arguments\":{\"content\":\"kept\"}}}\n");
    Path out = dir.resolve("bad.out");
    Path err = dir.resolve("bad.err");
    Process p =
        new ProcessBuilder(Binary.javaJar("mcp", "--db", notes.toString(), "--embedder", "hash"))
            .redirectInput(requests.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(err)).isEqualTo(1);
      assertThat(Files.readAllLines(err))
          .singleElement()
          .asString()
          .startsWith("hotmem: error: ")
          .contains("notes.sqlite");
      for (String line : Files.readAllLines(out)) {
        assertThat(line).as("stdout is the protocol only").startsWith("{\"jsonrpc\":\"2.0\"");
        if (line.contains("\"id\":2")) {
          assertThat(line).contains("\"isError\":true", "notes.sqlite");
        }
      }
      assertThat(Files.readString(notes)).isEqualTo(text);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void withoutAStoreFlagItUsesHotmemDbOrTheHomeDefault() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Path fromEnv = dir.resolve("env.sqlite");
    Binary.Result withEnv =
        Binary.run(
            dir,
            Binary.javaJar("mcp", "--embedder", "hash"),
            Map.of("HOTMEM_DB", fromEnv.toString()));
    assertThat(withEnv.exit()).as(withEnv.err()).isZero();
    assertThat(withEnv.out()).as("stdout is the protocol only").isEmpty();
    assertThat(withEnv.err()).contains(fromEnv.toString());
    assertThat(fromEnv).isRegularFile();

    List<String> command = Binary.javaJar("mcp", "--embedder", "hash");
    command.add(1, "-Duser.home=" + home);
    Binary.Result withHome = Binary.run(dir, command, Map.of("HOTMEM_DB", ""));
    assertThat(withHome.exit()).as(withHome.err()).isZero();
    assertThat(home.resolve(".hotmem/memory.sqlite")).isRegularFile();
    if (home.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".hotmem"))))
          .as("the default store's folder is its owner's only")
          .isEqualTo("rwx------");
    }
  }
}
