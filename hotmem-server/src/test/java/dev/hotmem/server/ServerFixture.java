package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server on an ephemeral loopback port over a real SQLite file, and a real HTTP client.
 * Subclasses may change the builder with {@link #configure}.
 */
abstract class ServerFixture {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  HotMem hotMem;
  HotMemServer server;
  Path files;

  /** Extra builder settings for a subclass. */
  void configure(HotMemServer.Builder builder) {}

  HotMem openStore() {
    return HotMem.open(dir.resolve("t.sqlite"));
  }

  @BeforeEach
  void startServer() {
    hotMem = openStore();
    files = dir.resolve("files");
    server = start(b -> configure(b));
  }

  HotMemServer start(Consumer<HotMemServer.Builder> more) {
    HotMemServer.Builder b =
        HotMemServer.builder(hotMem)
            .port(0)
            .fileRoot(files)
            .defaultSwapFile(files.resolve("swap.jsonl"))
            .version("test");
    more.accept(b);
    return b.start();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    if (hotMem != null) {
      hotMem.close();
    }
  }

  /** An answer: status, headers, raw body and (when it parses) the JSON. */
  record Reply(int status, HttpResponse<String> response, JsonNode json) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    String errorCode() {
      return json.path("error").path("code").asText(null);
    }

    String errorField() {
      return json.path("error").path("field").asText(null);
    }

    String body() {
      return response.body();
    }
  }

  Reply get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  Reply post(String path, String json, String... headers) {
    return send("POST", path, json, headers);
  }

  Reply send(String method, String path, String json, String... headers) {
    return sendBytes(
        method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), true, headers);
  }

  Reply sendBytes(String method, String path, byte[] body, boolean jsonType, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null && jsonType) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r, parse(r.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(String body) {
    try {
      return body == null || body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  /** Sends raw bytes on a fresh connection and returns everything the server answers. */
  String raw(byte[] request) {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      s.shutdownOutput();
      return readAll(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
    } catch (IOException e) {
      // A reset after the answer was sent still leaves the answer in got.
      if (got.size() == 0) {
        throw e;
      }
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /** Status code of a raw HTTP/1.1 answer. */
  static int rawStatus(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 ");
    return Integer.parseInt(answer.substring(9, 12));
  }

  static JsonNode rawJson(String answer) {
    int start = answer.indexOf("\r\n\r\n");
    return parse(answer.substring(start + 4));
  }

  /** Asserts the shape every error has and returns the reply. */
  static Reply assertError(Reply r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.errorCode()).as(r.body()).isEqualTo(code);
    assertThat(r.json().path("error").path("message").asText()).isNotBlank();
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(r.header(Exchange.TRACE_HEADER)).isNotBlank();
    return r;
  }

  String addBody(String identifier, String fact) {
    return "{\"identifier\": \"" + identifier + "\", \"fact\": \"" + fact + "\"}";
  }
}
