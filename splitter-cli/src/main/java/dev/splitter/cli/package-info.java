/**
 * The {@code splitter} command line ({@link dev.splitter.cli.SplitterCli}), on picocli: every
 * backend of the library behind {@code --env}, and the local gateway behind {@code splitter serve}.
 */
@NullMarked
package dev.splitter.cli;

import org.jspecify.annotations.NullMarked;
