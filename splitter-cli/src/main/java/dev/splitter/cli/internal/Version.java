package dev.splitter.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apiguardian.api.API;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version Maven wrote into the jar at build time. */
@API(status = API.Status.INTERNAL)
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    return lines();
  }

  /** What {@code --version} prints, a line each. */
  public static String[] lines() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        Version.class.getResourceAsStream("/dev/splitter/cli/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {
      "splitter " + properties.getProperty("version", "unknown"),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
