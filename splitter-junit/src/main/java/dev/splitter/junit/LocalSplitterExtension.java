package dev.splitter.junit;

import dev.splitter.core.Deployer;
import dev.splitter.junit.LocalSplitterTest.Lifecycle;
import dev.splitter.local.LocalCluster;
import java.net.URI;
import java.util.Optional;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link LocalSplitterTest}: starts a {@link LocalSplitter} per
 * test (or per class), keeps it in JUnit's store, which closes it when the test or class ends, and
 * resolves {@link LocalSplitter}, {@link LocalCluster}, {@link Deployer} and {@link
 * SplitterEndpoint} parameters. Stateless itself: everything lives in the store, so parallel tests
 * never share a gateway.
 */
@API(status = API.Status.STABLE)
public final class LocalSplitterExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(LocalSplitterExtension.class);
  private static final String FIXTURE = "fixture";

  /** Created by JUnit. */
  public LocalSplitterExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    if (settings(context).lifecycle() == Lifecycle.PER_CLASS) {
      start(context);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (settings(context).lifecycle() == Lifecycle.PER_METHOD) {
      start(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalSplitter.class
        || type == LocalCluster.class
        || type == Deployer.class
        || (type == URI.class && parameter.isAnnotated(SplitterEndpoint.class));
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalSplitter fixture =
        fixture(context)
            .orElseThrow(
                () ->
                    new ParameterResolutionException(
                        "no local gateway is running for "
                            + parameter.getDeclaringExecutable()
                            + ": with @LocalSplitterTest(lifecycle = PER_METHOD), @BeforeAll"
                            + " methods cannot take one"));
    Class<?> type = parameter.getParameter().getType();
    if (type == LocalCluster.class) {
      return fixture.cluster();
    }
    if (type == Deployer.class) {
      return fixture.deployer();
    }
    if (type == URI.class) {
      return fixture.endpoint(
          parameter.findAnnotation(SplitterEndpoint.class).orElseThrow().value());
    }
    return fixture;
  }

  private static void start(ExtensionContext context) {
    LocalSplitterTest settings = settings(context);
    LocalSplitter fixture = LocalSplitter.start();
    // Stored before anything else can fail, so the store closes what was started.
    context.getStore(NAMESPACE).put(FIXTURE, new Closing(fixture));
    for (String name : settings.sampleApis()) {
      fixture.sampleApi(name);
    }
    if (!settings.deploy().isEmpty()) {
      fixture.deploy(settings.deploy());
    }
  }

  private static Optional<LocalSplitter> fixture(ExtensionContext context) {
    return Optional.ofNullable(context.getStore(NAMESPACE).get(FIXTURE, Closing.class))
        .map(Closing::fixture);
  }

  /**
   * Closes the fixture with its test or class. JUnit 5 before 5.13 closes only {@code
   * CloseableResource}s, later versions {@code AutoCloseable}s: this is both, and closing twice is
   * harmless.
   */
  @SuppressWarnings("deprecation")
  private record Closing(LocalSplitter fixture)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      fixture.close();
    }
  }

  /**
   * The annotation of the test class, else of the nearest class enclosing it: a {@code @Nested}
   * class runs with its outer class's settings unless it has its own.
   */
  private static LocalSplitterTest settings(ExtensionContext context) {
    for (Class<?> type = context.getRequiredTestClass();
        type != null;
        type = type.getEnclosingClass()) {
      Optional<LocalSplitterTest> found =
          AnnotationSupport.findAnnotation(type, LocalSplitterTest.class);
      if (found.isPresent()) {
        return found.get();
      }
    }
    return Defaults.SETTINGS;
  }

  /** The settings of a class that names the extension with {@code @ExtendWith} alone. */
  @LocalSplitterTest
  private static final class Defaults {
    static final LocalSplitterTest SETTINGS = Defaults.class.getAnnotation(LocalSplitterTest.class);
  }
}
