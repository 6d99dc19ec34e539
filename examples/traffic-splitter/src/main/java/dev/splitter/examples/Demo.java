package dev.splitter.examples;

import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.spi.Change;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Cortex reference page, end to end on one machine: deploy the example file (its two Realtime
 * APIs start as sample servers on loopback), send 1,000 predictions through the splitter's
 * endpoint, show {@code get}, deploy again (up to date), delete.
 *
 * <p>Usage: {@code Demo [DIR]}, where DIR holds {@code cortex.yaml} and {@code sample.json}.
 */
public final class Demo {
  private static final int PREDICTIONS = 1_000;
  // Held so the setting outlives garbage collection: JUL keeps loggers weakly.
  private static final Logger HIBERNATE_VALIDATOR = Logger.getLogger("org.hibernate.validator");

  private Demo() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    HIBERNATE_VALIDATOR.setLevel(Level.WARNING); // its version banner is noise in a terminal
    Path dir = Path.of(args.length > 0 ? args[0] : "examples/traffic-splitter");
    Path config = dir.resolve("cortex.yaml");
    byte[] sample = Files.readAllBytes(dir.resolve("sample.json"));
    List<SampleApi> sampleApis = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.start()) {
      // splitter runs no model servers: this hook stands one up for each RealtimeAPI in the file.
      Deployer deployer =
          cluster
              .deployerBuilder()
              .realtimeApis(
                  api -> {
                    SampleApi server = SampleApi.start(api.name());
                    sampleApis.add(server);
                    cluster.registerApi(api.name(), server.uri());
                    return Change.CREATED;
                  })
              .build();

      System.out.println("$ deploy " + config);
      deployer.deploy(config).messages().forEach(System.out::println);

      URI endpoint = cluster.endpointUrl("traffic-splitter");
      System.out.printf(
          "%n$ %,d predictions: curl %s -X POST -H \"Content-Type: application/json\" -d @%s%n",
          PREDICTIONS, endpoint, dir.resolve("sample.json"));
      predict(endpoint, sample)
          .forEach((api, count) -> System.out.printf("%-16s %4d answers%n", api, count));

      System.out.println("\n$ get traffic-splitter");
      System.out.print(deployer.get("traffic-splitter").toTable());

      System.out.println("\n$ deploy " + config + "   (again, unchanged)");
      cluster.deployer().deploy(config).messages().forEach(System.out::println);

      System.out.println("\n$ delete traffic-splitter");
      deployer.delete("traffic-splitter").messages().forEach(System.out::println);
    } finally {
      sampleApis.forEach(SampleApi::close);
    }
  }

  /** Sends the predictions, 50 at a time, and counts the answers by the API that gave them. */
  private static Map<String, Integer> predict(URI endpoint, byte[] sample)
      throws InterruptedException {
    Map<String, Integer> answers = new TreeMap<>();
    try (HttpClientCloser http = new HttpClientCloser()) {
      HttpRequest request =
          HttpRequest.newBuilder(endpoint)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(sample))
              .build();
      for (int sent = 0; sent < PREDICTIONS; sent += 50) {
        List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          batch.add(http.client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> response : batch) {
          String api = response.join().headers().firstValue("x-splitter-api").orElse("(error)");
          answers.merge(api, 1, Integer::sum);
        }
      }
    }
    return answers;
  }

  /** java.net.http.HttpClient is AutoCloseable only from Java 21. */
  private static final class HttpClientCloser implements AutoCloseable {
    final HttpClient client = HttpClient.newHttpClient();

    @Override
    public void close() {}
  }
}
