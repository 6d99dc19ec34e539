/**
 * The Cortex Traffic Splitter configuration as immutable values: {@link
 * dev.splitter.model.SplitterConfig} reads and writes a file of {@link
 * dev.splitter.model.ApiResource}s.
 */
@NullMarked
package dev.splitter.model;

import org.jspecify.annotations.NullMarked;
