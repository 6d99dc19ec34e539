package example;

import dev.splitter.Violation;
import dev.splitter.model.SplitterConfig;
import dev.splitter.validation.SplitterValidator;
import java.util.List;
import java.util.Set;

/** splitter-validation: a valid file passes, a bad one names its problem with its position. */
public final class ValidationUse {
  public static void main(String[] args) throws Exception {
    Quiet.check(ValidationUse::run);
  }

  static void run() {
    ModelUse.run();
    SplitterValidator validator = SplitterValidator.builder().knownApis(Set.of("my-api")).build();
    if (!validator.validate(SplitterConfig.parse(Files.CORTEX_YAML, "cortex.yaml")).valid()) {
      throw new AssertionError("the reference file failed validation");
    }
    List<Violation> violations =
        validator
            .validate(SplitterConfig.parse(Files.CORTEX_YAML.replace("80", "81"), "bad.yaml"))
            .violations();
    if (violations.size() != 1 || !violations.get(0).toString().startsWith("bad.yaml:")) {
      throw new AssertionError("expected one violation with its position, got " + violations);
    }
    System.out.println("validation: " + violations.get(0));
  }
}
