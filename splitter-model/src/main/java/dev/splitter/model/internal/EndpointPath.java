package dev.splitter.model.internal;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * An endpoint path as Cortex required it: letters, digits, {@code _ - . /}, no adjacent slashes,
 * and not {@code /} alone. Each part reports its own violation.
 */
@Documented
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@Pattern(regexp = "[a-zA-Z0-9_\\-./]*", message = "{dev.splitter.endpoint.characters}")
@Pattern(regexp = "(?s)(?!.*//).*", message = "{dev.splitter.endpoint.adjacent-slashes}")
@Pattern(regexp = "(?s)(?!/\\z).*", message = "{dev.splitter.endpoint.root}")
@API(status = API.Status.INTERNAL)
public @interface EndpointPath {
  String message() default "{dev.splitter.endpoint.characters}";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
