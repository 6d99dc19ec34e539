package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
