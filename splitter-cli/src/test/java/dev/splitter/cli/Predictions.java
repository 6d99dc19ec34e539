package dev.splitter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Predictions through a served splitter's endpoint (as {@code get} names it), one after another on
 * a thread of their own, until closed: the traffic a rollout's gates and the dashboard read.
 */
final class Predictions implements AutoCloseable {
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final CompletableFuture<Void> sender;

  private Predictions(URI endpoint) {
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .timeout(Duration.ofSeconds(10))
            .build();
    this.sender =
        CompletableFuture.runAsync(
            () -> {
              while (sending.get()) {
                try {
                  http.send(request, HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                  return; // serve stopped under it
                }
              }
            });
  }

  /** Starts sending to {@code splitter}, served from the splitter home {@code home}. */
  static Predictions start(Path home, String splitter) throws Exception {
    JsonNode status =
        new ObjectMapper().readTree(CliRun.run(home, "get", splitter, "-o", "json").out());
    return new Predictions(URI.create(status.get("endpoint").asText()));
  }

  @Override
  public void close() throws Exception {
    sending.set(false);
    sender.get(30, TimeUnit.SECONDS);
  }
}
