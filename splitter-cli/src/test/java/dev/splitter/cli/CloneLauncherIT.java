package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clone's {@code ./splitter} as a new user meets it: a tree with no build yet, where the first
 * run builds the command and later runs start it directly. Maven is stood in for by a script on the
 * PATH that copies what this build made ({@code target/splitter-cli-VERSION.jar} and {@code
 * target/lib}) into place, so that the launchers themselves are what is tested.
 */
class CloneLauncherIT {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path clone;
  @TempDir Path work;
  @TempDir Path tools;
  private Path builds;

  @BeforeEach
  void aCloneWithoutABuild() throws Exception {
    Files.copy(REPOSITORY.resolve("splitter"), clone.resolve("splitter"));
    Path bin = clone.resolve("splitter-cli/src/main/dist/bin");
    Files.createDirectories(bin);
    Files.copy(
        REPOSITORY.resolve("splitter-cli/src/main/dist/bin/splitter"), bin.resolve("splitter"));
    builds = tools.resolve("builds.log");
  }

  @Test
  void theFirstRunBuildsAndLaterRunsStartDirectlyFromAnyDirectory() throws Exception {
    fakeMaven(0);

    Result first = run("--version");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("splitter ");
    assertThat(first.err()).contains("building splitter");

    Result second =
        run("validate", REPOSITORY.resolve("examples/traffic-splitter/cortex.yaml").toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("is valid");
    assertThat(second.err()).doesNotContain("building");
    assertThat(Files.readAllLines(builds)).hasSize(1);
  }

  @Test
  void aFailedBuildShowsMavensOutputAndExitsNonZero() throws Exception {
    fakeMaven(1);

    Result result = run("--version");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("stand-in Maven failed").contains("the build failed");
  }

  /** A {@code mvn} that copies this build's jars into the clone, or fails with {@code code}. */
  private void fakeMaven(int code) throws Exception {
    Path jar;
    try (Stream<Path> jars = Files.list(REPOSITORY.resolve("splitter-cli/target"))) {
      jar =
          jars.filter(path -> path.getFileName().toString().matches("splitter-cli-.*\\.jar"))
              .filter(path -> !path.toString().endsWith("-sources.jar"))
              .filter(path -> !path.toString().endsWith("-javadoc.jar"))
              .findFirst()
              .orElseThrow();
    }
    Path lib = REPOSITORY.resolve("splitter-cli/target/lib");
    String script =
        code != 0
            ? "#!/bin/sh\necho 'stand-in Maven failed'\nexit " + code + "\n"
            : "#!/bin/sh\n"
                + "echo \"$*\" >> '"
                + builds
                + "'\n"
                + "mkdir -p splitter-cli/target/lib\n"
                + "cp '"
                + jar
                + "' splitter-cli/target/\n"
                + "cp '"
                + lib
                + "'/*.jar splitter-cli/target/lib/\n";
    Path mvn = tools.resolve("mvn");
    Files.writeString(mvn, script);
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private record Result(int code, String out, String err) {}

  private Result run(String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Stream.concat(Stream.of(clone.resolve("splitter").toString()), Stream.of(args))
                    .toList())
            .directory(work.toFile());
    builder.environment().put("PATH", tools + ":" + System.getenv("PATH"));
    builder.environment().put("SPLITTER_HOME", work.resolve("home").toString());
    List.of("SPLITTER_LIB", "SPLITTER_JAR", "SPLITTER_ARCHIVE", "SPLITTER_REBUILD")
        .forEach(builder.environment()::remove);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("./splitter " + String.join(" ", args) + " did not end");
    }
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
