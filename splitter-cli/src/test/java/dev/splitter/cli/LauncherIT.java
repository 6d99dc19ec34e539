package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.aws.AwsWorld;
import dev.splitter.aws.MotoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher as a user runs it: each command a separate process. */
class LauncherIT {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private static final Path LAUNCHER =
      Path.of(System.getProperty("splitter.launcher", "../splitter")).toAbsolutePath();
  private static final Path EXAMPLE =
      Path.of("../examples/traffic-splitter/cortex.yaml").toAbsolutePath();

  @TempDir Path home;

  record Result(int code, String out, String err) {}

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("SPLITTER_HOME", home.toString());
    env.put("SPLITTER_CONFIG", home.resolve("environments.yaml").toString());
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    return env;
  }

  private ProcessBuilder command(String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment());
    return builder;
  }

  private Result run(String... args) throws Exception {
    Process process = command(args).start();
    process.getOutputStream().close();
    var out = process.getInputStream().readAllBytes();
    var err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void versionValidateAndUsage() throws Exception {
    assertThat(run("--version").out()).startsWith("splitter 0.1.0-SNAPSHOT");
    Result valid = run("validate", EXAMPLE.toString());
    assertThat(valid.code()).isZero();
    assertThat(valid.out()).endsWith("is valid (1 TrafficSplitter, 2 RealtimeAPIs)\n");
    assertThat(run("deploy", "--nope").code()).isEqualTo(2);
  }

  @Test
  void serveThenDeployGetDeleteThenCtrlC() throws Exception {
    Path file = home.resolve("cortex.yaml");
    Files.copy(EXAMPLE, file);
    Serving serve = serving(command("serve", file.toString(), "--sample-apis", "--port", "0"));
    try {
      Path changed = home.resolve("changed.yaml");
      Files.writeString(changed, Files.readString(file).replace("20", "30").replace("80", "70"));
      Result deploy = run("deploy", changed.toString());
      assertThat(deploy.code()).as(deploy.err()).isZero();
      assertThat(deploy.out()).contains("updated traffic-splitter (TrafficSplitter)");
      assertThat(run("get", "traffic-splitter").out()).contains("my-api           30");
      assertThat(run("delete", "traffic-splitter").out()).isEqualTo("deleted traffic-splitter\n");
    } finally {
      // SIGINT, as Ctrl-C; where the build runs with SIGINT ignored (in the background), SIGTERM.
      assertThat(stop(serve.process())).as("stopped by a signal it handles").isIn("INT", "TERM");
      serve.reader().join(5_000);
    }
    assertThat(serve.printed()).contains("stopped");
    assertThat(home.resolve("serve.json")).doesNotExist();
    Result after = run("get");
    assertThat(after.code()).isEqualTo(1);
    assertThat(after.err()).contains("no splitter serve is running");
  }

  @Test
  void serveIsStoppedEvenWhereCtrlCIsIgnored() throws Exception {
    // A build started in the background (`mvn verify &`) hands its children SIGINT ignored.
    Path file = home.resolve("cortex.yaml");
    Files.copy(EXAMPLE, file);
    List<String> command =
        new ArrayList<>(List.of("bash", "-c", "trap '' INT; exec \"$@\"", "bash"));
    command.addAll(command("serve", file.toString(), "--sample-apis", "--port", "0").command());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment());
    Serving serving = serving(builder);
    Process serve = serving.process();
    List<ProcessHandle> tree = new ArrayList<>(serve.descendants().toList());
    tree.add(serve.toHandle());

    assertThat(stop(serve)).as("stopped by SIGTERM after SIGINT").isEqualTo("TERM");

    serving.reader().join(5_000);
    assertThat(serving.printed()).contains("stopped");
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
    assertThat(home.resolve("serve.json")).doesNotExist();
  }

  /** A running serve and what it has printed so far. */
  private record Serving(Process process, List<String> printed, Thread reader) {}

  /** Starts a serve and returns once it prints its endpoint; stops it if it never does. */
  private static Serving serving(ProcessBuilder builder) throws Exception {
    Process process = builder.redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<String> printed = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines()
                    .forEach(
                        line -> {
                          printed.add(line);
                          lines.add(line);
                        });
              } catch (IOException e) {
                lines.add("(serve output lost: " + e + ")");
              }
            });
    reader.start();
    try {
      String line;
      do {
        line = lines.poll(60, TimeUnit.SECONDS);
        assertThat(line).as("serve printed its endpoint").isNotNull();
      } while (!line.startsWith("traffic-splitter: http://127.0.0.1:"));
    } catch (AssertionError | InterruptedException e) {
      stop(process);
      throw e;
    }
    return new Serving(process, printed, reader);
  }

  /**
   * Stops a process the way a careful user would, whatever signals it inherited: SIGINT (Ctrl-C),
   * then SIGTERM, then SIGKILL to it and everything it started.
   *
   * @return the signal that stopped it
   */
  private static String stop(Process process) throws Exception {
    for (String signal : List.of("INT", "TERM")) {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        return signal;
      }
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return "KILL";
  }

  @Test
  void deployGetDeleteAgainstMoto() throws Exception {
    AwsWorld aws = AwsSetup.world(moto, home, world -> "http_proxy_url: http://models.example.com");
    Path file = AwsSetup.splitterOnly(home);

    Result deploy = run("deploy", "--env", "aws", file.toString());
    assertThat(deploy.code()).as(deploy.err()).isZero();
    assertThat(deploy.out()).startsWith("created traffic-splitter (TrafficSplitter)");
    assertThat(run("get", "--env", "aws").out()).contains("my-api:20 another-my-api:80");
    assertThat(aws.routeKeys()).containsExactly("ANY /traffic-splitter");
    assertThat(run("delete", "--env", "aws", "traffic-splitter").out())
        .isEqualTo("deleted traffic-splitter\n");
    assertThat(aws.rules()).isEmpty();
    assertThat(aws.routeKeys()).isEmpty();
  }

  @Test
  void ctrlCDuringARolloutRestoresTheWeightsBeforeTheCommandExits() throws Exception {
    AwsSetup.world(moto, home, world -> "http_proxy_url: http://models.example.com");
    Path file = AwsSetup.splitterOnly(home);
    assertThat(run("deploy", "--env", "aws", file.toString()).code()).isZero();
    Process rollout =
        command(
                "rollout",
                "--env",
                "aws",
                "traffic-splitter",
                "--candidate",
                "my-api",
                "--steps",
                "50,100",
                "--interval",
                "1h")
            .redirectErrorStream(true)
            .start();
    rollout.getOutputStream().close();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(rollout.getInputStream(), StandardCharsets.UTF_8));
    List<String> printed = new ArrayList<>();
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        printed.add(line);
        if (line.startsWith("step 1/2:")) {
          break;
        }
      }
      assertThat(run("get", "--env", "aws").out()).contains("my-api:50 another-my-api:50");
    } finally {
      stop(rollout); // Ctrl-C, or SIGTERM where the build ignores SIGINT
    }
    out.lines().forEach(printed::add);

    assertThat(printed)
        .as("what the rollout printed")
        .anySatisfy(line -> assertThat(line).startsWith("aborted at step 1/2: cancelled"))
        .contains("traffic-splitter: aborted: cancelled");
    assertThat(run("get", "--env", "aws").out()).contains("my-api:20 another-my-api:80");
    assertThat(run("rollout", "--env", "aws", "traffic-splitter", "--abort").err())
        .contains("no rollout is in progress on traffic-splitter");
  }
}
