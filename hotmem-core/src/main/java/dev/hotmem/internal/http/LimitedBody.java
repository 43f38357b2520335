package dev.hotmem.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body collected up to a limit: past it the stream is cancelled and the body fails with
 * {@link TooLarge}, so a hostile or broken server cannot make a client buffer without bound. For
 * the JDK {@code HttpClient}: {@code http.sendAsync(request, info -> new LimitedBody(limit))}. Used
 * by every HTTP client the engine has (embeddings, chat).
 */
public final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final long limit;
  private String why = "";
  private Flow.Subscription subscription;

  /**
   * @param limit the most bytes the body may have
   */
  public LimitedBody(long limit) {
    this.limit = limit;
  }

  /** A body larger than the limit. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param limit the limit the body passed
     * @param why what the limit stands for, appended to the message (may be empty)
     */
    public TooLarge(long limit, String why) {
      super("the answer is larger than " + limit + " bytes" + why);
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      if (buffer.size() + (long) b.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limit, why));
        return;
      }
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      buffer.write(bytes, 0, bytes.length);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  /** Adds what the limit stands for to the {@link TooLarge} message, for example ", more than…". */
  public LimitedBody because(String why) {
    this.why = why;
    return this;
  }
}
