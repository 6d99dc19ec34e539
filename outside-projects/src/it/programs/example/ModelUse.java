package example;

import dev.splitter.model.SplitterConfig;

/** splitter-model: read, write YAML, read it back. */
public final class ModelUse {
  public static void main(String[] args) throws Exception {
    Quiet.check(ModelUse::run);
  }

  static void run() {
    SplitterConfig config = SplitterConfig.parse(Files.CORTEX_YAML, "cortex.yaml");
    String yaml = config.toYaml();
    if (!SplitterConfig.parse(yaml, "written.yaml").equals(config)) {
      throw new AssertionError("YAML did not read back equal:\n" + yaml);
    }
    if (!SplitterConfig.jsonSchema().contains("2020-12")) {
      throw new AssertionError("no JSON Schema in the jar");
    }
    System.out.println("model: read and wrote " + config.trafficSplitters().size() + " splitter");
  }
}
