package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as users get it: the archive the build made, unpacked into a directory outside
 * the repository, and bin/splitter run from another working directory with only Java.
 */
class DistributionIT {
  private static final Path ARCHIVE =
      Path.of(System.getProperty("splitter.dist", "target/splitter-cli-dist.tar.gz"))
          .toAbsolutePath();
  private static final Path EXAMPLE =
      Path.of("../examples/traffic-splitter/cortex.yaml").toAbsolutePath();

  @TempDir Path unpacked;
  @TempDir Path work;
  @TempDir Path home;
  private Path splitter;

  @BeforeEach
  void unpack() throws Exception {
    Process tar =
        new ProcessBuilder("tar", "-xzf", ARCHIVE.toString(), "-C", unpacked.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("unpacked").isTrue();
    try (var top = Files.list(unpacked)) {
      splitter = top.findFirst().orElseThrow().resolve("bin/splitter");
    }
  }

  @Test
  void theArchiveHoldsTheCommandItsJarsAndTheirLicences() throws Exception {
    Path root = splitter.getParent().getParent();
    assertThat(root.getFileName().toString()).startsWith("splitter-");
    assertThat(Files.isExecutable(splitter)).isTrue();
    try (var jars = Files.list(root.resolve("lib"))) {
      assertThat(jars.map(jar -> jar.getFileName().toString()))
          .anyMatch(jar -> jar.startsWith("splitter-cli-"))
          .anyMatch(jar -> jar.startsWith("picocli-"))
          .anyMatch(jar -> jar.startsWith("jackson-databind-"));
    }
    assertThat(Files.readString(root.resolve("THIRD-PARTY.txt")))
        .contains("picocli", "Apache License", "jackson-databind");
    Path zip = Path.of(ARCHIVE.toString().replace(".tar.gz", ".zip"));
    try (ZipFile entries = new ZipFile(zip.toFile())) {
      assertThat(entries.stream().map(entry -> entry.getName()))
          .contains(root.getFileName() + "/bin/splitter", root.getFileName() + "/THIRD-PARTY.txt");
    }
  }

  @Test
  void validateAndDemoRunFromAnotherDirectoryAndTheFirstRunTrainsTheClassDataArchive()
      throws Exception {
    Files.copy(EXAMPLE, work.resolve("cortex.yaml"));

    Result version = run("--version");
    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.out()).startsWith("splitter 0.1.0-SNAPSHOT");
    assertThat(splitter.getParent().resolveSibling("lib/splitter.jsa")).exists();

    Result validate = run("validate");
    assertThat(validate.code()).as(validate.err()).isZero();
    assertThat(validate.err()).isEmpty();

    Result demo = run("demo");
    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(demo.out())
        .contains("created traffic-splitter (TrafficSplitter)", "deleted traffic-splitter");
  }

  @Test
  void onThePathThroughALinkItRunsFromAnyDirectory() throws Exception {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("splitter"), splitter);
    Files.copy(EXAMPLE, work.resolve("cortex.yaml"));
    ProcessBuilder viaPath =
        // A shell finds the command on its PATH, as a user's does.
        new ProcessBuilder("bash", "-c", "splitter validate cortex.yaml").directory(work.toFile());
    viaPath.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    viaPath.environment().put("SPLITTER_HOME", home.toString());

    Process process = viaPath.redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).contains("cortex.yaml is valid");
  }

  @Test
  void serveAnswersPredictionsAndStopsOnCtrlC() throws Exception {
    Files.copy(EXAMPLE, work.resolve("cortex.yaml"));
    Process serve =
        command("serve", "cortex.yaml", "--sample-apis", "--port", "0")
            .redirectErrorStream(true)
            .start();
    serve.getOutputStream().close();
    List<String> printed = new ArrayList<>();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
      String endpoint = null;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        printed.add(line);
        if (line.startsWith("traffic-splitter: http://127.0.0.1:")) {
          endpoint = line.substring("traffic-splitter: ".length());
          break;
        }
      }
      assertThat(endpoint).as("serve printed its endpoint: " + printed).isNotNull();
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(endpoint))
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"prediction\": \"ok\"");
    } finally {
      for (String signal : List.of("INT", "TERM", "KILL")) {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(serve.pid())).start().waitFor();
        if (serve.waitFor(10, TimeUnit.SECONDS)) {
          break;
        }
      }
    }
    assertThat(serve.isAlive()).isFalse();
  }

  private record Result(int code, String out, String err) {}

  private ProcessBuilder command(String... args) {
    List<String> command = new ArrayList<>(List.of(splitter.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("SPLITTER_HOME", home.toString());
    builder.environment().put("SPLITTER_CONFIG", home.resolve("environments.yaml").toString());
    // The clone's launcher's settings: the archive as users unpack it must run without them.
    List.of("SPLITTER_LIB", "SPLITTER_JAR", "SPLITTER_ARCHIVE")
        .forEach(builder.environment()::remove);
    return builder;
  }

  private Result run(String... args) throws Exception {
    Process process = command(args).start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
