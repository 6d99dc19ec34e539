/**
 * Checks Traffic Splitter configurations against every Cortex rule: {@link
 * dev.splitter.validation.SplitterValidator} gives a {@link
 * dev.splitter.validation.ValidationReport} with file, line and column for each violation.
 */
@NullMarked
package dev.splitter.validation;

import org.jspecify.annotations.NullMarked;
