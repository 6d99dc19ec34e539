package dev.splitter.cli.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.cli.internal.Views.Compared;
import dev.splitter.cli.internal.Views.Deployed;
import dev.splitter.cli.internal.Views.Differences;
import dev.splitter.cli.internal.Views.Rendered;
import dev.splitter.cli.internal.Views.Status;
import dev.splitter.cli.internal.Views.Summary;
import dev.splitter.core.Comparison;
import dev.splitter.core.NotDeployedException;
import dev.splitter.model.SplitterConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The local backend as seen from another process: a running serve's admin endpoint. */
final class ServeClient implements Backend {
  static final String NOT_RUNNING =
      "no splitter serve is running: start one with `splitter serve cortex.yaml`";

  /** How often a rollout's events are asked for. */
  private static final Duration POLL = Duration.ofMillis(250);

  private final ServeInfo serve;
  private final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ServeClient(ServeInfo serve) {
    this.serve = serve;
  }

  static ServeClient connect(Path home) {
    return new ServeClient(ServeInfo.read(home).orElseThrow(() -> new CliException(NOT_RUNNING)));
  }

  @Override
  public Deployed deploy(SplitterConfig config, String text, boolean dryRun) {
    URI uri =
        serve
            .admin()
            .resolve(
                "/v1/deploy?dry_run="
                    + dryRun
                    + "&source="
                    + URLEncoder.encode(config.sourceName(), StandardCharsets.UTF_8));
    return send(
        request(uri).POST(HttpRequest.BodyPublishers.ofString(text)), new TypeReference<>() {});
  }

  @Override
  public Rendered<Status> get(String name) {
    return send(request(splitter(name)).GET(), new TypeReference<>() {});
  }

  @Override
  public Rendered<Compared> compare(String name, Comparison.Options options) {
    StringBuilder query =
        new StringBuilder("/v1/compare/")
            .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
            .append("?confidence=")
            .append(options.confidence())
            .append("&error_margin=")
            .append(options.errorMargin())
            .append("&latency_margin=")
            .append(options.latencyMargin());
    if (options.baseline() != null) {
      query
          .append("&baseline=")
          .append(URLEncoder.encode(options.baseline(), StandardCharsets.UTF_8));
    }
    if (options.window() != null) {
      query.append("&window_seconds=").append(options.window().toSeconds());
    }
    return send(request(serve.admin().resolve(query.toString())).GET(), new TypeReference<>() {});
  }

  @Override
  public Rendered<Differences> diff(String name, int limit) {
    String path = "/v1/diff/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "?limit=" + limit;
    return send(request(serve.admin().resolve(path)).GET(), new TypeReference<>() {});
  }

  @Override
  public Rendered<List<Summary>> list() {
    return send(request(serve.admin().resolve("/v1/splitters")).GET(), new TypeReference<>() {});
  }

  @Override
  public Map<String, String> servingStates(List<String> splitters, Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new CliException("no time left to ask splitter serve");
    }
    try {
      return send(
          request(serve.admin().resolve("/v1/serving-states"))
              .timeout(left)
              .POST(HttpRequest.BodyPublishers.ofByteArray(Json.JSON.writeValueAsBytes(splitters))),
          new TypeReference<>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CliException("cannot write the splitters' names: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> delete(String name) {
    JsonNode answer = send(request(splitter(name)).DELETE(), new TypeReference<>() {});
    return Json.JSON.convertValue(answer.get("messages"), new TypeReference<List<String>>() {});
  }

  /** Starts the rollout in serve, then polls its events until it ends. */
  @Override
  public Rollouts.End rollout(Rollouts.Request request, Consumer<Rollouts.Event> progress) {
    try {
      send(
          request(serve.admin().resolve("/v1/rollouts"))
              .POST(HttpRequest.BodyPublishers.ofByteArray(Json.JSON.writeValueAsBytes(request))),
          new TypeReference<JsonNode>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CliException("cannot write the rollout: " + e.getMessage(), e);
    }
    int seen = 0;
    while (true) {
      RolloutJobs.Progress answer =
          send(
              request(URI.create(rollout(request.splitter()) + "?after=" + seen)).GET(),
              new TypeReference<RolloutJobs.Progress>() {});
      answer.events().forEach(progress);
      seen += answer.events().size();
      if (answer.done()) {
        Rollouts.End end = answer.end();
        if (end == null) {
          throw new CliException(String.valueOf(answer.error()));
        }
        return end;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(
            "interrupted; the rollout goes on in splitter serve (--abort stops it)");
      }
    }
  }

  @Override
  public Rollouts.End abortRollout(String splitter) {
    return send(request(rollout(splitter)).DELETE(), new TypeReference<Rollouts.End>() {});
  }

  private URI rollout(String splitter) {
    return serve
        .admin()
        .resolve("/v1/rollouts/" + URLEncoder.encode(splitter, StandardCharsets.UTF_8));
  }

  private URI splitter(String name) {
    return serve
        .admin()
        .resolve("/v1/splitters/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMinutes(5))
        .header("Authorization", "Bearer " + serve.token());
  }

  private <T> T send(HttpRequest.Builder request, TypeReference<T> type) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (ConnectException e) {
      throw new CliException(NOT_RUNNING + " (the last one, at " + serve.admin() + ", is gone)");
    } catch (IOException e) {
      throw new CliException("splitter serve at " + serve.admin() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    try {
      if (response.statusCode() == 200) {
        return Json.JSON.readValue(response.body(), type);
      }
      JsonNode error = Json.JSON.readTree(response.body());
      if (response.statusCode() == 422) {
        throw new InvalidConfigException(
            Json.JSON.convertValue(
                error.get("violations"), new TypeReference<List<Violation>>() {}));
      }
      if (response.statusCode() == 404 && error.has("not_deployed")) {
        throw new NotDeployedException(error.get("not_deployed").asText());
      }
      throw new CliException(
          "splitter serve: " + error.path("error").asText("HTTP " + response.statusCode()));
    } catch (IOException e) {
      throw new CliException(
          "splitter serve answered what this command cannot read: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {}
}
