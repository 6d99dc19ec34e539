package dev.splitter.cli.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How to reach a running {@code splitter serve}: its admin endpoint, its gateway and the token the
 * admin endpoint asks for. Kept in {@code serve.json} in the splitter home, readable by its owner
 * only.
 *
 * @param admin the admin endpoint, on loopback
 * @param gateway the gateway that serves the splitters' endpoints
 * @param token the bearer token the admin endpoint requires
 * @param pid the serve's process id, for people
 */
@API(status = API.Status.INTERNAL)
public record ServeInfo(
    URI admin, URI gateway, @JsonProperty("token") String token, @JsonProperty("pid") long pid) {
  private static final String FILE = "serve.json";

  /** A new random token: 256 bits, hex. */
  static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  static Optional<ServeInfo> read(Path home) {
    Path file = home.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.JSON.readValue(file.toFile(), ServeInfo.class));
    } catch (IOException e) {
      throw new CliException(file + " is unreadable: " + e.getMessage());
    }
  }

  /** Writes the file with owner-only permissions from the start (never readable by others). */
  void write(Path home) throws IOException {
    Files.createDirectories(home);
    trySetPermissions(home, "rwx------");
    Path temporary = home.resolve(FILE + ".tmp");
    Files.deleteIfExists(temporary);
    try {
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
      Files.createFile(temporary);
    }
    Files.writeString(temporary, Json.JSON.writeValueAsString(this));
    try {
      Files.move(
          temporary,
          home.resolve(FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, home.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Whether this serve is still running: its admin endpoint accepts a connection. (A serve killed
   * without its shutdown hook leaves the file behind; that one is stale.)
   */
  boolean running() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(admin.getHost(), admin.getPort()), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the file if it still names this serve (a newer serve may have replaced it). */
  void remove(Path home) {
    try {
      if (read(home).filter(this::equals).isPresent()) {
        Files.deleteIfExists(home.resolve(FILE));
      }
    } catch (IOException | CliException e) {
      // Shutting down: a stale file only makes the next command say no serve is running.
    }
  }

  private static void trySetPermissions(Path path, String permissions) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: its own access rules apply.
    }
  }
}
