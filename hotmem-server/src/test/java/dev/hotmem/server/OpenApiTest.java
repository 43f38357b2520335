package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** /v1/openapi.json describes exactly the routes, parameters and body fields the server has. */
class OpenApiTest extends ServerFixture {
  /** operationId -> the request body type the handler reads. */
  static final Map<String, Class<?>> BODIES =
      Map.of(
          "add", Requests.Add.class,
          "addBatch", Requests.AddBatch.class,
          "search", Requests.Search.class,
          "update", Requests.Update.class,
          "hydrate", Requests.Hydrate.class,
          "snapshot", Requests.Snapshot.class);

  JsonNode document() {
    Reply r = get("/v1/openapi.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    return r.json();
  }

  @Test
  void documentsExactlyTheServersRoutes() {
    JsonNode doc = document();
    assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
    Set<String> documented = new TreeSet<>();
    doc.path("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        m -> {
                          if (!m.equals("parameters")) {
                            documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey());
                          }
                        }));
    Set<String> served = new TreeSet<>();
    server.routes().forEach(r -> served.add(r.name()));
    assertThat(documented).isEqualTo(served);
  }

  @Test
  void everyDocumentedRouteAnswersAndOtherMethodsAre405() {
    for (Route route : server.routes()) {
      String path = route.path().replace("{id}", "01ARZ3NDEKTSV4RRFFQ69G5FAV");
      Reply r = send(route.method(), path, route.method().equals("GET") ? null : "{}");
      assertThat(r.status()).as(route.name() + " " + r.body()).isNotEqualTo(405);
      assertThat(r.json().path("error").path("message").asText(""))
          .as(route.name())
          .doesNotStartWith("no such endpoint");
      Reply put = send("PUT", path, "{}");
      assertError(put, 405, "method_not_allowed");
    }
  }

  @Test
  void documentedQueryParametersAreTheOnesTheHandlersRead() {
    JsonNode paths = document().path("paths");
    for (Route route : server.routes()) {
      JsonNode item = paths.path(route.path());
      JsonNode op = item.path(route.method().toLowerCase(java.util.Locale.ROOT));
      Set<String> documented = new TreeSet<>();
      for (JsonNode list : List.of(item.path("parameters"), op.path("parameters"))) {
        list.forEach(
            p -> {
              if (p.path("in").asText().equals("query")) {
                documented.add(p.path("name").asText());
              }
            });
      }
      assertThat(documented).as(route.name()).isEqualTo(new TreeSet<>(route.queryParameters()));
    }
  }

  @Test
  void documentedBodyFieldsAreTheOnesTheServerAccepts() {
    JsonNode doc = document();
    Set<String> withBodies = new TreeSet<>();
    doc.path("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          JsonNode body = op.getValue().path("requestBody");
                          if (body.isMissingNode()) {
                            return;
                          }
                          String id = op.getValue().path("operationId").asText();
                          withBodies.add(id);
                          JsonNode schema =
                              resolve(
                                  doc,
                                  body.path("content").path("application/json").path("schema"));
                          assertThat(names(schema.path("properties").fieldNames()))
                              .as(id)
                              .isEqualTo(accepted(BODIES.get(id)));
                        }));
    assertThat(withBodies).isEqualTo(BODIES.keySet());
    JsonNode item =
        resolve(doc, doc.path("components").path("schemas").path("AddBatchRequest"))
            .path("properties")
            .path("memories")
            .path("items");
    assertThat(names(resolve(doc, item).path("properties").fieldNames()))
        .isEqualTo(accepted(Requests.Add.class));
  }

  /**
   * The JSON names (and aliases) Jackson binds for {@code type}, as the server's mapper sees it.
   */
  static Set<String> accepted(Class<?> type) {
    DeserializationConfig config = Json.MAPPER.getDeserializationConfig();
    BeanDescription description = config.introspect(config.constructType(type));
    Set<String> names = new TreeSet<>();
    for (BeanPropertyDefinition p : description.findProperties()) {
      if (!p.couldDeserialize()) {
        continue;
      }
      names.add(p.getName());
      List<PropertyName> aliases = p.findAliases();
      aliases.forEach(a -> names.add(a.getSimpleName()));
    }
    return names;
  }

  static JsonNode resolve(JsonNode doc, JsonNode schema) {
    String ref = schema.path("$ref").asText(null);
    if (ref == null) {
      return schema;
    }
    JsonNode at = doc;
    for (String part : ref.substring(2).split("/")) {
      at = at.path(part);
    }
    return at;
  }

  static Set<String> names(Iterator<String> it) {
    Set<String> out = new TreeSet<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
