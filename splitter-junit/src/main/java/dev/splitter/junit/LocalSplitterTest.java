package dev.splitter.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test of the class a running local gateway: a {@link LocalSplitter} (and its {@link
 * dev.splitter.local.LocalCluster}, {@link dev.splitter.core.Deployer}, and the endpoint {@link
 * java.net.URI} of a deployed splitter, see {@link SplitterEndpoint}) can be declared as test or
 * lifecycle method parameters.
 *
 * <pre>{@code
 * @LocalSplitterTest(sampleApis = {"my-api", "another-my-api"}, deploy = "cortex.yaml")
 * class ModelAbTest {
 *   @Test
 *   void splitsEightyTwenty(LocalSplitter splitter) {
 *     Responses responses = splitter.send("traffic-splitter", 2_000);
 *     SplitAssert.assertSplit(responses).matches(20, 80);   // the file's weights, in its order
 *   }
 * }
 * }</pre>
 *
 * <p>Each gateway and sample API listens on its own free port of 127.0.0.1, so test classes may run
 * in parallel; everything is stopped when its test (or, with {@link Lifecycle#PER_CLASS}, its
 * class) ends, whether it passed or not.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalSplitterExtension.class)
@API(status = API.Status.STABLE)
public @interface LocalSplitterTest {

  /** Realtime APIs to start as {@link dev.splitter.local.SampleApi}s and register. */
  String[] sampleApis() default {};

  /**
   * A configuration to deploy before each test: a class path resource, else a file path. Its
   * RealtimeAPIs that are not registered start as sample APIs. Default: nothing is deployed.
   */
  String deploy() default "";

  /** Whether each test gets its own gateway (the default) or the tests of the class share one. */
  Lifecycle lifecycle() default Lifecycle.PER_METHOD;

  /** How long a gateway lives. */
  enum Lifecycle {
    /** A new gateway for each test method. */
    PER_METHOD,
    /** One gateway for all tests of the class; what one test deploys, the next one sees. */
    PER_CLASS
  }
}
