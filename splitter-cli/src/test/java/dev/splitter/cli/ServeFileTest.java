package dev.splitter.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code serve} does when its file and what is deployed part ways: a splitter removed from the
 * file, one deployed through the admin endpoint, a bad first file. A serve in this process.
 */
class ServeFileTest {
  private static final String TWO =
      """
      - {name: a-api, kind: RealtimeAPI}
      - {name: one, kind: TrafficSplitter, networking: {api_gateway: none}, apis: [{name: a-api, weight: 100}]}
      - {name: two, kind: TrafficSplitter, networking: {api_gateway: none}, apis: [{name: a-api, weight: 100}]}
      """;
  private static final String ONE =
      """
      - {name: a-api, kind: RealtimeAPI}
      - {name: one, kind: TrafficSplitter, networking: {api_gateway: none}, apis: [{name: a-api, weight: 100}]}
      """;

  @TempDir Path home;

  /** A serve of {@code file} with these options, stopped after {@code whileServing}. */
  private CliRun serve(Path file, List<String> options, ThrowingRunnable whileServing)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", file.toString(), "--sample-apis"));
    args.addAll(List.of("--port", "0", "--poll", "100ms"));
    args.addAll(options);
    try (InProcessServe serve = InProcessServe.start(home, args.toArray(String[]::new))) {
      whileServing.run();
      return serve.stop();
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as("in time").isTrue();
  }

  private boolean deployed(String name) {
    return CliRun.run(home, "get", name).code() == 0;
  }

  @Test
  void aSplitterRemovedFromTheFileKeepsServingAndIsNamed() throws Exception {
    Path file = Files.writeString(home.resolve("cortex.yaml"), TWO);

    CliRun run =
        serve(
            file,
            List.of(),
            () -> {
              await(() -> deployed("two"));
              Files.writeString(file, ONE);
              await(() -> CliRun.run(home, "get").out().contains("one"));
              Thread.sleep(500);
              assertThat(deployed("two")).as("kept, as Cortex kept it").isTrue();
            });

    assertThat(run.out())
        .contains("keep serving until `splitter delete NAME` (or serve --prune)")
        .contains(
            "note: deployed but not in "
                + file
                + ", still serving: two (splitter delete NAME,"
                + " or serve --prune)");
  }

  @Test
  void withPruneTheFileIsTheWholeTruth() throws Exception {
    Path file = Files.writeString(home.resolve("cortex.yaml"), TWO);

    CliRun run =
        serve(
            file,
            List.of("--prune"),
            () -> {
              await(() -> deployed("two"));
              Files.writeString(file, ONE);
              await(() -> !deployed("two"));
            });

    assertThat(run.out()).contains("deleted two (not in " + file + ")");
    assertThat(run.out()).doesNotContain("deleted one");
  }

  @Test
  void aBadFirstFileIsNotCalledALastGoodVersion() throws Exception {
    Path file = Files.writeString(home.resolve("cortex.yaml"), "- {name: one, kind: Nope}\n");

    CliRun run = serve(file, List.of(), () -> Thread.sleep(300));

    assertThat(run.err())
        .contains("not deployed; nothing is served yet: fix " + file + " and save it")
        .doesNotContain("last good version");
  }

  @Test
  void aFailedReadOfTheFileIsNoChangeAndASaveOfTheSameTextIsNone() throws Exception {
    Path file = Files.writeString(home.resolve("cortex.yaml"), TWO);

    CliRun run =
        serve(
            file,
            List.of(),
            () -> {
              await(() -> deployed("two"));
              // Deleted through the admin endpoint: a redeploy of the unchanged FILE would bring it
              // back, silently undoing the delete.
              assertThat(CliRun.run(home, "delete", "two").code()).isZero();
              Files.delete(file);
              Files.createDirectory(file); // unreadable as a file for a while
              Thread.sleep(400);
              Files.delete(file);
              // The same text again, a new modification time; written whole and moved into place,
              // as editors save, so that no poll reads it half written.
              Path saved = Files.writeString(home.resolve("cortex.yaml.tmp"), TWO);
              Files.move(saved, file, StandardCopyOption.ATOMIC_MOVE);
              Thread.sleep(400);
              assertThat(deployed("two")).as("not redeployed").isFalse();
            });

    assertThat(run.out()).doesNotContain(file + " changed");
  }

  @Test
  void aSecondServeOnTheSameHomeIsRefusedNamingTheFirst() throws Exception {
    Path file = Files.writeString(home.resolve("cortex.yaml"), ONE);

    serve(
        file,
        List.of(),
        () -> {
          // Refused at once; a serve that took over would run until stopped.
          CompletableFuture<CliRun> attempt = new CompletableFuture<>();
          Thread thread =
              new Thread(
                  () ->
                      attempt.complete(CliRun.run(home, "serve", file.toString(), "--port", "0")));
          thread.start();
          CliRun second;
          try {
            second = attempt.get(20, TimeUnit.SECONDS);
          } finally {
            thread.interrupt();
          }

          assertThat(second.code()).isEqualTo(1);
          assertThat(second.err())
              .startsWith("error: a splitter serve is already running for " + home)
              .contains("(gateway http://127.0.0.1:", ", pid " + ProcessHandle.current().pid())
              .contains("SPLITTER_HOME=DIR");
          assertThat(home.resolve("serve.json")).exists();
          await(() -> deployed("one"));
        });
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void clientsHoldingHalfARequestOnTheAdminEndpointBlockNobody() throws Exception {
    Path file = Files.writeString(home.resolve("cortex.yaml"), ONE);

    serve(
        file,
        List.of(),
        () -> {
          await(() -> deployed("one"));
          Matcher admin =
              Pattern.compile("\"admin\"\\s*:\\s*\"http://127.0.0.1:(\\d+)")
                  .matcher(Files.readString(home.resolve("serve.json")));
          assertThat(admin.find()).isTrue();
          List<Socket> stalled = new ArrayList<>();
          try {
            for (int i = 0; i < 20; i++) {
              Socket socket = new Socket("127.0.0.1", Integer.parseInt(admin.group(1)));
              socket
                  .getOutputStream()
                  .write("POST /v1/deploy HTTP/1.1\r\nHost: x\r\nContent-Le".getBytes(UTF_8));
              stalled.add(socket);
            }
            long started = System.nanoTime();
            assertThat(CliRun.run(home, "get", "one").code()).isZero();
            assertThat(CliRun.run(home, "deploy", file.toString()).code()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(10));
          } finally {
            for (Socket socket : stalled) {
              socket.close();
            }
          }
        });
  }
}
