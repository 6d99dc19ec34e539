package dev.splitter.model.internal;

import org.apiguardian.api.API;

/**
 * Field paths inside a file, written as users read them: {@code [0].apis[1].weight} is the weight
 * of the second api of the first resource. A path relative to a resource drops the leading index.
 */
@API(status = API.Status.INTERNAL)
public final class Paths {
  private Paths() {}

  /** The path of {@code key} inside the mapping at {@code parent}. */
  public static String key(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** The path of item {@code index} of the list at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** The path of the resource at {@code index} of the file. */
  public static String resource(int index) {
    return index(RESOURCE_ROOT, index);
  }

  /** The absolute path of {@code relative} inside the resource at {@code index}. */
  public static String inResource(int index, String relative) {
    return relative.isEmpty() ? resource(index) : key(resource(index), relative);
  }

  /** The enclosing path: {@code a.b} for {@code a.b[2]}, {@code a} for {@code a.b}, else empty. */
  public static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  /** The resource index an absolute path starts with, or -1 for the file itself. */
  public static int resourceIndex(String path) {
    if (!path.startsWith("[")) {
      return -1;
    }
    return Integer.parseInt(path.substring(1, path.indexOf(']')));
  }

  /** The part of an absolute path inside its resource: {@code apis[1]} for {@code [0].apis[1]}. */
  public static String relative(String path) {
    if (!path.startsWith("[")) {
      return path;
    }
    String rest = path.substring(path.indexOf(']') + 1);
    return rest.startsWith(".") ? rest.substring(1) : rest;
  }

  private static final String RESOURCE_ROOT = "";
}
