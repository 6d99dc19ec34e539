package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code splitter serve} on a thread of this process, as a user's other terminal: started, ready
 * once it has written {@code serve.json}, stopped by interrupting it (what Ctrl-C's hook does).
 */
final class InProcessServe implements AutoCloseable {
  private final Path home;
  private final Thread thread;
  private final CompletableFuture<CliRun> result = new CompletableFuture<>();

  private InProcessServe(Path home, String... args) {
    this.home = home;
    this.thread = new Thread(() -> result.complete(CliRun.run(home, args)), "serve");
  }

  /** Runs {@code splitter ARGS} with its home in {@code home}; returns once it serves. */
  static InProcessServe start(Path home, String... args) throws InterruptedException {
    InProcessServe serve = new InProcessServe(home, args);
    serve.thread.start();
    Instant deadline = Instant.now().plusSeconds(30);
    while (!Files.exists(home.resolve("serve.json")) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(home.resolve("serve.json")).exists();
    return serve;
  }

  /**
   * A serve of the example file, copied to {@code home/cortex.yaml}, with sample APIs on a free
   * port and {@code options}; returns once {@code traffic-splitter} answers {@code get}.
   */
  static InProcessServe example(Path home, String... options) throws Exception {
    Path file = home.resolve("cortex.yaml");
    Files.copy(Path.of("../examples/traffic-splitter/cortex.yaml"), file);
    List<String> args =
        new ArrayList<>(List.of("serve", file.toString(), "--sample-apis", "--port", "0"));
    args.addAll(List.of(options));
    InProcessServe serve = start(home, args.toArray(String[]::new));
    Instant deadline = Instant.now().plusSeconds(30);
    while (CliRun.run(home, "get", "traffic-splitter").code() != 0
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    return serve;
  }

  /** Stops it and says what it printed; {@code serve.json} is gone by then. */
  CliRun stop() throws Exception {
    thread.interrupt();
    CliRun run = result.get(30, TimeUnit.SECONDS);
    assertThat(home.resolve("serve.json")).as("removed on the way out").doesNotExist();
    return run;
  }

  @Override
  public void close() throws Exception {
    if (!result.isDone()) {
      stop();
    }
  }
}
