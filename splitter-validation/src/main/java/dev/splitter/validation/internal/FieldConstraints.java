package dev.splitter.validation.internal;

import dev.splitter.model.ApiResource;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apiguardian.api.API;
import org.hibernate.validator.HibernateValidator;

/**
 * Checks the constraints declared on the model's records with Hibernate Validator, and reports each
 * as a violation at its field, with the value found.
 */
@API(status = API.Status.INTERNAL)
public final class FieldConstraints {
  private static final String KEY_PREFIX = "{dev.splitter.";
  private static final String NAME = "name";
  private static final String ENDPOINT = "networking.endpoint";

  private FieldConstraints() {}

  /** Checks one resource. */
  public static void check(ApiResource resource, int resourceIndex, ViolationSink sink) {
    Set<ConstraintViolation<ApiResource>> violations = Engine.VALIDATOR.validate(resource);
    // A default endpoint is "/" + name: when the name is invalid, its violations only repeat it.
    boolean repeatsName =
        resource.networking().endpoint().equals("/" + resource.name())
            && violations.stream().anyMatch(v -> yamlPath(v.getPropertyPath()).equals(NAME));
    for (ConstraintViolation<ApiResource> violation : violations) {
      String path = yamlPath(violation.getPropertyPath());
      if (repeatsName && path.equals(ENDPOINT)) {
        continue;
      }
      sink.add(
          resourceIndex,
          path,
          code(violation.getMessageTemplate()),
          violation.getMessage() + found(violation.getInvalidValue()));
    }
  }

  /** {@code {dev.splitter.weight.range}} gives the stable code {@code weight.range}. */
  private static String code(String template) {
    return template.startsWith(KEY_PREFIX)
        ? template.substring(KEY_PREFIX.length(), template.length() - 1)
        : template;
  }

  private static String found(Object value) {
    if (value instanceof String text && !text.isEmpty()) {
      return ", found \"" + text + "\"";
    }
    return value instanceof Number number ? ", found " + number : "";
  }

  /** {@code apis[1].weight} and {@code networking.api_gateway}: the path as the file spells it. */
  private static String yamlPath(Path path) {
    StringBuilder yaml = new StringBuilder();
    for (Path.Node node : path) {
      if (node.isInIterable()) {
        yaml.append('[').append(node.getIndex()).append(']');
      }
      if (node.getName() != null) {
        if (yaml.length() > 0) {
          yaml.append('.');
        }
        yaml.append(snakeCase(node.getName()));
      }
    }
    return yaml.toString();
  }

  private static String snakeCase(String camelCase) {
    return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** Built once, on first use: a validator factory is costly to build and safe to share. */
  private static final class Engine {
    /**
     * Hibernate Validator announces its version at INFO when it starts (HV000001), through JBoss
     * Logging, which writes to java.util.logging's console unless the application has a logging
     * backend: a library's first use should print nothing. Only a level nobody set is raised, and
     * the logger is held so that java.util.logging keeps the setting.
     */
    @SuppressWarnings("UnusedVariable") // held, not read: see above
    private static final Logger VERSION_BANNER = quietVersionBanner();

    private static final ValidatorFactory FACTORY =
        Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new BundleMessageInterpolator())
            .buildValidatorFactory();
    static final Validator VALIDATOR = FACTORY.getValidator();

    private static Logger quietVersionBanner() {
      Logger logger = Logger.getLogger("org.hibernate.validator.internal.util.Version");
      if (logger.getLevel() == null) {
        logger.setLevel(Level.WARNING);
      }
      return logger;
    }
  }
}
