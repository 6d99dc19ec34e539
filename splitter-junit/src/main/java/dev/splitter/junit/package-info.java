/**
 * Traffic Splitters in your own JUnit tests: {@link dev.splitter.junit.LocalSplitterTest} gives a
 * test a running local gateway ({@link dev.splitter.junit.LocalSplitter}) with sample or real APIs,
 * and {@link dev.splitter.junit.SplitAssert} checks that a split is the one asked for, within a
 * stated number of standard deviations.
 */
@NullMarked
package dev.splitter.junit;

import org.jspecify.annotations.NullMarked;
