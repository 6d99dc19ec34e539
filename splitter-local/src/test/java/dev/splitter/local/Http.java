package dev.splitter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A real HTTP/1.1 client for the tests, talking to the gateway over loopback. */
final class Http {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpResponse<String> post(URI uri, String body) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    return sendWith(CLIENT, request);
  }

  static HttpResponse<String> sendWith(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code count} POSTs, {@code concurrency} at a time, and returns every response. */
  static List<HttpResponse<String>> postMany(URI uri, int count, int concurrency) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"value\"}"))
            .build();
    List<HttpResponse<String>> responses = new ArrayList<>(count);
    for (int sent = 0; sent < count; sent += concurrency) {
      List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(concurrency, count - sent); i++) {
        batch.add(CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      batch.forEach(response -> responses.add(response.join()));
    }
    return responses;
  }
}
