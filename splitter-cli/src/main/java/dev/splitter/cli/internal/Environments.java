package dev.splitter.cli.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * Reads {@code environments.yaml}: a map {@code environments: {NAME: {backend: ..., ...}}}. Unknown
 * keys are errors, so a misspelt setting is not silently ignored.
 */
@API(status = API.Status.INTERNAL)
public final class Environments {
  private static final List<String> BACKENDS =
      List.of("local", "istio", "gateway-api", "alb", "nlb");
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private record File(Map<String, Environment> environments) {}

  private Environments() {}

  /**
   * The environment {@code name} from {@code file}.
   *
   * @throws CliException if the file is missing or unreadable, or has no such environment
   */
  public static Environment load(Path file, String name) {
    if (!Files.isRegularFile(file)) {
      throw new CliException(
          "no environments file at " + file + " (set SPLITTER_CONFIG, or create it: see README)");
    }
    Map<String, Environment> all;
    try {
      File parsed = YAML.readValue(file.toFile(), new TypeReference<File>() {});
      all = parsed == null || parsed.environments() == null ? Map.of() : parsed.environments();
    } catch (IOException e) {
      throw new CliException(
          file + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable"));
    }
    Environment environment = all.get(name);
    if (environment == null) {
      throw new CliException(
          "no environment "
              + name
              + " in "
              + file
              + " (it has: "
              + new TreeMap<>(all).keySet()
              + ")");
    }
    if (environment.backend() == null || !BACKENDS.contains(environment.backend())) {
      throw new CliException(
          file
              + ": environment "
              + name
              + ": backend must be one of "
              + BACKENDS
              + ", got "
              + environment.backend());
    }
    return environment;
  }
}
