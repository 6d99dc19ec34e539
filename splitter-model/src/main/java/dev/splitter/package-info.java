/**
 * The exceptions every splitter module throws, rooted at {@link dev.splitter.SplitterException}.
 */
@NullMarked
package dev.splitter;

import org.jspecify.annotations.NullMarked;
