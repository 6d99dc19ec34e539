package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * Every public type splitter publishes says what it is: {@code @API(status = INTERNAL)} in an
 * {@code .internal} package and only there, another status everywhere else. Checked over the
 * classes of every module, as this module's tests see them (directories in a reactor build, jars
 * after {@code package}).
 */
class ApiStatusTest {
  @Test
  void everyPublicTypeSaysWhetherItIsApi() throws Exception {
    List<String> wrong = new ArrayList<>();
    TreeSet<String> modules = new TreeSet<>();
    int checked = 0;
    for (String name : publishedClassNames(modules)) {
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      if (!Modifier.isPublic(type.getModifiers()) || type.getEnclosingClass() != null) {
        continue;
      }
      checked++;
      API api = type.getAnnotation(API.class);
      boolean internal = type.getPackageName().contains(".internal");
      if (api == null) {
        wrong.add(name + ": no @API");
      } else if (internal != (api.status() == API.Status.INTERNAL)) {
        wrong.add(
            name + ": @API(status = " + api.status() + ") in package " + type.getPackageName());
      }
    }

    assertThat(modules).hasSize(9);
    assertThat(checked).isGreaterThan(100);
    assertThat(wrong).isEmpty();
  }

  /** The classes under dev/splitter of the main (not test) classes of every module. */
  private static List<String> publishedClassNames(TreeSet<String> sources) throws IOException {
    List<String> names = new ArrayList<>();
    for (URL url :
        Collections.list(ApiStatusTest.class.getClassLoader().getResources("dev/splitter"))) {
      String where = url.toString();
      if (where.contains("test-classes") || where.contains("-tests.jar")) {
        continue;
      }
      sources.add(where);
      if (url.getProtocol().equals("jar")) {
        JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
        jar.stream()
            .map(entry -> entry.getName())
            .filter(entry -> entry.startsWith("dev/splitter/") && entry.endsWith(".class"))
            .forEach(entry -> names.add(className(entry)));
      } else {
        Path root = root(url);
        try (Stream<Path> files = Files.walk(root.resolve("dev/splitter"))) {
          files
              .filter(file -> file.toString().endsWith(".class"))
              .forEach(file -> names.add(className(root.relativize(file).toString())));
        }
      }
    }
    return names;
  }

  private static Path root(URL url) {
    try {
      return Path.of(url.toURI()).getParent().getParent();
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }

  private static String className(String path) {
    return path.substring(0, path.length() - ".class".length()).replace('/', '.');
  }
}
