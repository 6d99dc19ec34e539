package dev.splitter.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks a {@link java.net.URI} parameter that receives the endpoint URL of a splitter deployed
 * through {@link LocalSplitterTest#deploy()}:
 *
 * <pre>{@code
 * @Test
 * void answers(@SplitterEndpoint("traffic-splitter") URI endpoint) { ... }
 * }</pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@API(status = API.Status.STABLE)
public @interface SplitterEndpoint {
  /** The splitter's name. */
  String value();
}
