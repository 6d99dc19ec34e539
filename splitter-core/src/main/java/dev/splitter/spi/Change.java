package dev.splitter.spi;

/** What a deploy does to one resource. */
public enum Change {
  /** It did not exist and was created. */
  CREATED("created"),
  /** It existed and was changed. */
  UPDATED("updated"),
  /** It existed as asked; nothing was written. */
  UNCHANGED("is up to date");

  private final String verb;

  Change(String verb) {
    this.verb = verb;
  }

  /** The Cortex line for a resource: {@code created traffic-splitter (TrafficSplitter)}. */
  public String describe(String name, String kind) {
    String resource = name + " (" + kind + ")";
    return this == UNCHANGED ? resource + " " + verb : verb + " " + resource;
  }
}
