package dev.splitter.model.internal;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * A resource name as Cortex required it: a DNS-1035 label of at most 42 characters (Kubernetes
 * appends suffixes up to its 63-character limit). Each part reports its own violation.
 */
@Documented
@Constraint(validatedBy = {})
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@Pattern(regexp = "[a-z]([-a-z0-9]*[a-z0-9])?", message = "{dev.splitter.name.pattern}")
@Size(max = 42, message = "{dev.splitter.name.size}")
@API(status = API.Status.INTERNAL)
public @interface ResourceName {
  String message() default "{dev.splitter.name.pattern}";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
