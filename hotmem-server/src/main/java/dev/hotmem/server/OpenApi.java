package dev.hotmem.server;

/** The OpenAPI 3.1 document of the {@code /v1} API, kept next to the code it describes. */
final class OpenApi {
  static final String RESOURCE = "openapi.json";

  private OpenApi() {}

  static byte[] document() {
    return Api.resource(RESOURCE);
  }
}
