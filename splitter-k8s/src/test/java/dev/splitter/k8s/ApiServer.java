package dev.splitter.k8s;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real kube-apiserver and etcd on loopback, with the Istio and Gateway API CRDs, started once per
 * test JVM by {@code tools/kube-apiserver.sh run} and stopped when the JVM exits: SIGTERM to the
 * script (which stops both servers), then SIGKILL to whatever is left. If the JVM itself is killed,
 * the script sees its parent gone and stops them.
 *
 * <p>Without the binaries (built by {@code tools/kube-apiserver.sh build}, which the build runs),
 * the tests that need it are skipped, or fail with {@code CI=true}.
 */
public final class ApiServer {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static @Nullable ApiServer shared;

  private final Path kubeconfig;
  private final Process process;

  private ApiServer(Path kubeconfig, Process process) {
    this.kubeconfig = kubeconfig;
    this.process = process;
  }

  /** The one server of this JVM, started on first use. */
  public static synchronized ApiServer shared() {
    if (shared == null) {
      shared = start();
      ApiServer started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "kube-apiserver-stop"));
    }
    return shared;
  }

  /** A kubeconfig for the server: a token with every right, TLS not verified (self-signed). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  private static ApiServer start() {
    Path script = Path.of(System.getProperty("splitter.kube.script", "../tools/kube-apiserver.sh"));
    Path cache =
        Path.of(
            System.getProperty(
                "splitter.kube.cache",
                Path.of(System.getProperty("user.home"), ".cache/splitter/k8s-1.37.2").toString()));
    boolean built = Files.isExecutable(cache.resolve("bin/kube-apiserver"));
    if (!built && !"true".equals(System.getenv("CI"))) {
      assumeTrue(false, "no kube-apiserver here: run tools/kube-apiserver.sh build");
    }
    try {
      Path work = Files.createTempDirectory("splitter-kube-");
      Process process =
          new ProcessBuilder(
                  "bash",
                  script.toString(),
                  "run",
                  work.toString(),
                  Long.toString(ProcessHandle.current().pid()))
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> ready =
          CompletableFuture.supplyAsync(
              () -> {
                StringBuilder said = new StringBuilder();
                try {
                  for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("ready ")) {
                      return line.substring("ready ".length());
                    }
                    said.append(line).append('\n');
                  }
                } catch (IOException e) {
                  said.append(e);
                }
                throw new IllegalStateException("kube-apiserver did not start:\n" + said);
              });
      try {
        String kubeconfig = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        drain(out);
        return new ApiServer(Path.of(kubeconfig), process);
      } catch (Exception e) {
        stop(process);
        throw new IllegalStateException("kube-apiserver did not start in " + START_TIMEOUT, e);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + script, e);
    }
  }

  /** Keeps reading the script's output, so that it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded: the servers log to files in the work directory
                }
              } catch (IOException e) {
                // the script is gone
              }
            },
            "kube-apiserver-output");
    drain.setDaemon(true);
    drain.start();
  }

  private void stop() {
    stop(process);
  }

  private static void stop(Process process) {
    process.destroy(); // SIGTERM: the script stops etcd and kube-apiserver
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
