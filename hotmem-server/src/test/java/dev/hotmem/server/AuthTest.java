package dev.hotmem.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** With a token every request, health and unknown routes included, needs it. */
class AuthTest extends ServerFixture {
  static final String TOKEN = "s3cret-token";

  @Override
  void configure(HotMemServer.Builder builder) {
    builder.token(TOKEN);
  }

  @Test
  void missingTokenIs401WithAChallenge() {
    Reply r = get("/v1/health");
    assertError(r, 401, "unauthorized");
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertError(get("/v1/nowhere"), 401, "unauthorized");
    assertError(post("/v1/add", "{\"fact\": \"x\"}"), 401, "unauthorized");
    assertThat(hotMem.count()).isZero();
  }

  @Test
  void wrongTokensAre401() {
    for (String header :
        new String[] {
          "Bearer wrong",
          "Bearer " + TOKEN + "x",
          "Bearer " + TOKEN.substring(1),
          "Basic " + TOKEN,
          TOKEN,
          "Bearer",
          "Bearer "
        }) {
      assertError(get("/v1/health", "Authorization", header), 401, "unauthorized");
    }
  }

  @Test
  void theRightTokenPasses() {
    assertThat(get("/v1/health", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(get("/v1/health", "Authorization", "bearer " + TOKEN).status()).isEqualTo(200);
    Reply added = post("/v1/add", "{\"fact\": \"x\"}", "Authorization", "Bearer " + TOKEN);
    assertThat(added.status()).isEqualTo(201);
    assertError(get("/v1/nowhere", "Authorization", "Bearer " + TOKEN), 404, "not_found");
  }
}
